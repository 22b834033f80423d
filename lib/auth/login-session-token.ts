import "server-only";
import { db } from "../db";
import { AppError } from "../errors";
import { vaultAad } from "../vault/aad";
import { openSecret, sealSecret } from "../vault/token-vault";
import { refreshLoginToken } from "../oauth/refresh-login-token";
import { OAuthProviderError } from "../oauth/oauth-errors";
import { endLoginSessionRow } from "./end-login-session-row";

type TLoginRow = {
  id: string;
  userSub: string;
  keyId: string;
  idTokenEnc: string;
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  accessExpiresAt: Date;
  endedAt: Date | null;
  roles: string[];
  confirmedAt: Date;
};

export type TLiveLogin = { token: string; roles: string[]; confirmedAt: Date };

/** How long Keycloak's word on a sign-in (alive, roles) is trusted before it is asked again. */
export const LOGIN_CONFIRM_MS = 5 * 60_000;

/**
 * The signed-in person's own Keycloak access token (dashboard client) and their current realm roles.
 * Refreshes when the token has less than 30 s left or Keycloak last confirmed the sign-in more than
 * `maxAgeMs` ago: Keycloak re-reads the user on every refresh, so a removed role shows up in the new
 * id_token and a disabled user or ended SSO session is refused. Refreshes of one login session are
 * serialised by its row lock; rotated tokens are stored sealed in the same transaction. A refusal ends
 * the login session (its sealed tokens wiped) and throws Unauthenticated.
 */
export async function confirmLogin(loginSessionId: string, userSub: string, maxAgeMs = LOGIN_CONFIRM_MS): Promise<TLiveLogin> {
  const outcome = await db().$transaction(
    async (tx): Promise<TLiveLogin | { error: string }> => {
      const rows = await tx.$queryRaw<TLoginRow[]>`
        SELECT "id", "userSub", "keyId", "idTokenEnc", "accessTokenEnc", "refreshTokenEnc", "accessExpiresAt", "endedAt", "roles", "confirmedAt"
        FROM "LoginSession" WHERE "id" = ${loginSessionId} AND "userSub" = ${userSub} FOR UPDATE`;
      const row = rows[0];
      if (!row || row.endedAt || !row.accessTokenEnc) return { error: "Your sign-in has ended" };
      const fresh = Date.now() - row.confirmedAt.getTime() < maxAgeMs && row.accessExpiresAt.getTime() - Date.now() > 30_000;
      if (fresh) {
        return {
          token: openSecret({ keyId: row.keyId, sealed: row.accessTokenEnc }, vaultAad.loginAccess(row.id)),
          roles: row.roles,
          confirmedAt: row.confirmedAt,
        };
      }
      if (!row.refreshTokenEnc) {
        await endLoginSessionRow(tx, row.id, "Keycloak issued no refresh token for this sign-in");
        return { error: "Your sign-in cannot be renewed" };
      }
      const refreshToken = openSecret({ keyId: row.keyId, sealed: row.refreshTokenEnc }, vaultAad.loginRefresh(row.id));
      try {
        const renewed = await refreshLoginToken(refreshToken);
        const idToken = renewed.idToken ?? openSecret({ keyId: row.keyId, sealed: row.idTokenEnc }, vaultAad.loginId(row.id));
        const access = sealSecret(renewed.accessToken, vaultAad.loginAccess(row.id));
        const confirmedAt = new Date();
        const roles = renewed.roles ?? row.roles;
        await tx.loginSession.update({
          where: { id: row.id },
          data: {
            keyId: access.keyId,
            accessTokenEnc: access.sealed,
            refreshTokenEnc: sealSecret(renewed.refreshToken, vaultAad.loginRefresh(row.id)).sealed,
            idTokenEnc: sealSecret(idToken, vaultAad.loginId(row.id)).sealed,
            accessExpiresAt: renewed.accessExpiresAt,
            roles,
            confirmedAt,
          },
        });
        return { token: renewed.accessToken, roles, confirmedAt };
      } catch (error) {
        if (error instanceof OAuthProviderError && error.error === "invalid_grant") {
          await endLoginSessionRow(tx, row.id, `Keycloak refused to renew the sign-in: ${error.errorDescription ?? error.error}`);
          return { error: "Keycloak ended your sign-in" };
        }
        throw error;
      }
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
  if ("error" in outcome) throw new AppError("Unauthenticated", outcome.error);
  return outcome;
}

/** The person's own access token for calls in their name (e.g. Keycloak's account API). */
export async function loginAccessToken(loginSessionId: string, userSub: string): Promise<string> {
  return (await confirmLogin(loginSessionId, userSub)).token;
}
