import "server-only";
import { db } from "../db";
import { env, isLocalHttp } from "../env";
import { vaultAad } from "../vault/aad";
import { openSecret } from "../vault/token-vault";
import { log } from "../logger";
import { auditRecorder } from "../audit/record-event";
import { randomUUID } from "node:crypto";
import { endLoginSessionRow } from "./end-login-session-row";

type TEndResult = { keycloakSessionEnded: boolean };

/**
 * Ends a dashboard sign-in here and at Keycloak. The Keycloak session is ended server-to-server
 * (end-session endpoint with the client's credentials and the refresh token), so no token ever has to
 * travel through the browser as an id_token_hint. The local session is closed even if Keycloak fails.
 */
export async function endLoginSession(loginSessionId: string, userSub: string): Promise<TEndResult> {
  const row = await db().loginSession.findFirst({ where: { id: loginSessionId, userSub, endedAt: null } });
  if (!row) return { keycloakSessionEnded: false };
  // The refresh token is needed once more, for Keycloak's logout; the row keeps no token after this.
  const refreshTokenEnc = row.refreshTokenEnc;
  await db().$transaction((tx) => endLoginSessionRow(tx, row.id, "signed out"));
  await auditRecorder({
    actor: userSub,
    actorType: "user",
    subject: userSub,
    action: "auth.sign_out",
    resource: `login-session:${row.id}`,
    outcome: "success",
    correlationId: randomUUID(),
    mechanism: "user-token",
  }).catch((error) => log.error("audit failed", { error }));
  if (!refreshTokenEnc) return { keycloakSessionEnded: false };
  const e = env();
  try {
    const refreshToken = openSecret({ keyId: row.keyId, sealed: refreshTokenEnc }, vaultAad.loginRefresh(row.id));
    const url = `${e.KEYCLOAK_ISSUER}/protocol/openid-connect/logout`;
    if (!isLocalHttp(url) && !url.startsWith("https://")) throw new Error("Keycloak issuer must use https");
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: e.KEYCLOAK_DASHBOARD_CLIENT_ID,
        client_secret: e.KEYCLOAK_DASHBOARD_CLIENT_SECRET,
        refresh_token: refreshToken,
      }),
    });
    if (res.status !== 204 && res.status !== 200) {
      log.warn("keycloak logout refused", { status: res.status, loginSessionId });
      return { keycloakSessionEnded: false };
    }
    return { keycloakSessionEnded: true };
  } catch (error) {
    log.warn("keycloak logout failed", { error, loginSessionId });
    return { keycloakSessionEnded: false };
  }
}
