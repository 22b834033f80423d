import "server-only";
import { db } from "../db";
import { AppError } from "../errors";
import { vaultAad } from "../vault/aad";
import { openSecret, sealSecret } from "../vault/token-vault";
import { refreshLoginToken } from "../oauth/refresh-login-token";
import { OAuthProviderError } from "../oauth/oauth-errors";

type TLoginRow = { id: string; userSub: string; keyId: string; idTokenEnc: string; accessTokenEnc: string; refreshTokenEnc: string | null; accessExpiresAt: Date; endedAt: Date | null };

/**
 * The signed-in person's own Keycloak access token (dashboard client), refreshed when it has less than
 * 30 s left, for calls made in their name (e.g. Keycloak's account API). Refreshes of one login session
 * are serialised by its row lock and the rotated tokens stored sealed in the same transaction. A refusal
 * (SSO session ended, user disabled) ends the login session: the person must sign in again.
 */
export async function loginAccessToken(loginSessionId: string, userSub: string): Promise<string> {
  const refused = await db().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<TLoginRow[]>`
        SELECT "id", "userSub", "keyId", "idTokenEnc", "accessTokenEnc", "refreshTokenEnc", "accessExpiresAt", "endedAt"
        FROM "LoginSession" WHERE "id" = ${loginSessionId} AND "userSub" = ${userSub} FOR UPDATE`;
      const row = rows[0];
      if (!row || row.endedAt || !row.accessTokenEnc) return { error: "Your sign-in has ended" };
      if (row.accessExpiresAt.getTime() - Date.now() > 30_000) {
        return { token: openSecret({ keyId: row.keyId, sealed: row.accessTokenEnc }, vaultAad.loginAccess(row.id)) };
      }
      if (!row.refreshTokenEnc) return { error: "Your sign-in cannot be renewed" };
      const refreshToken = openSecret({ keyId: row.keyId, sealed: row.refreshTokenEnc }, vaultAad.loginRefresh(row.id));
      try {
        const fresh = await refreshLoginToken(refreshToken);
        const idToken = fresh.idToken ?? openSecret({ keyId: row.keyId, sealed: row.idTokenEnc }, vaultAad.loginId(row.id));
        const access = sealSecret(fresh.accessToken, vaultAad.loginAccess(row.id));
        await tx.loginSession.update({
          where: { id: row.id },
          data: {
            keyId: access.keyId,
            accessTokenEnc: access.sealed,
            refreshTokenEnc: sealSecret(fresh.refreshToken, vaultAad.loginRefresh(row.id)).sealed,
            idTokenEnc: sealSecret(idToken, vaultAad.loginId(row.id)).sealed,
            accessExpiresAt: fresh.accessExpiresAt,
          },
        });
        return { token: fresh.accessToken };
      } catch (error) {
        if (error instanceof OAuthProviderError && error.error === "invalid_grant") {
          await tx.loginSession.update({
            where: { id: row.id },
            data: { endedAt: new Date(), idTokenEnc: "", accessTokenEnc: "", refreshTokenEnc: null },
          });
          return { error: "Keycloak ended your sign-in" };
        }
        throw error;
      }
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
  if ("error" in refused) throw new AppError("Unauthenticated", refused.error!);
  return refused.token;
}
