import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import { auditRecorder } from "../audit/record-event";
import { verifyLogoutToken } from "./verify-logout-token";
import { rememberLogoutToken } from "./remember-logout-token";
import { endLoginSessionRow } from "./end-login-session-row";

/**
 * OIDC Back-Channel Logout for the dashboard client: Keycloak ended a person's SSO session (sign-out
 * elsewhere, admin "sign out", user disabled or deleted), so the dashboard sessions it backed end too —
 * by `sid` when the token names one, otherwise every open session of the `sub`. Their sealed tokens are
 * wiped. Background grants are NOT touched: offline access outlives sessions. A replayed token changes
 * nothing.
 */
export async function handleDashboardLogout(logoutToken: string): Promise<{ endedSessions: number }> {
  const claims = await verifyLogoutToken(logoutToken, env().KEYCLOAK_DASHBOARD_CLIENT_ID);
  const issuedAt = new Date((claims.iat ?? 0) * 1000);
  if (!(await rememberLogoutToken(`dashboard:${String(claims.jti)}`, new Date(issuedAt.getTime() + 5 * 60_000)))) {
    throw new AppError("BadInput", "Invalid logout token: already used (replay)");
  }
  const where = claims.sid ? { keycloakSid: claims.sid, endedAt: null } : { userSub: String(claims.sub), endedAt: null };
  const sessions = await db().loginSession.findMany({ where, select: { id: true, userSub: true } });
  let endedSessions = 0;
  await db().$transaction(async (tx) => {
    for (const s of sessions) if (await endLoginSessionRow(tx, s.id, "Keycloak back-channel logout")) endedSessions += 1;
  });
  await auditRecorder({
    actor: "keycloak",
    actorType: "system",
    subject: claims.sub ?? sessions[0]?.userSub ?? null,
    action: "auth.session_ended_by_keycloak",
    resource: `client:${env().KEYCLOAK_DASHBOARD_CLIENT_ID}`,
    outcome: "success",
    correlationId: randomUUID(),
    mechanism: "oidc-backchannel-logout",
    details: { sid: claims.sid ?? null, endedSessions },
  });
  return { endedSessions };
}
