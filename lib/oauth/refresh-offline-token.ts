import "server-only";
import * as oidc from "openid-client";
import { getOidcConfig, workerClient } from "./get-oidc-config";
import type { TOAuthCallContext } from "./report-oauth-event";
import { reportedOAuthCall } from "./reported-oauth-call";
import { asUserAccessToken, type TUserAccessToken } from "./token-types";
import { tokenSubject } from "./token-subject";
import { accessExpiry, refreshExpiry, scopesOf } from "./token-response-fields";

export type TRefreshedTokens = {
  accessToken: TUserAccessToken;
  accessExpiresAt: Date;
  /** The rotated offline token. Keycloak (revokeRefreshToken) invalidates the old one: persist this. */
  refreshToken: string;
  /** Offline-session idle expiry from refresh_expires_in; null when Keycloak reports none. */
  refreshExpiresAt: Date | null;
  scopes: string[];
  /** `sub` of the new access token. */
  subject: string | null;
};

/**
 * Redeems an offline token at Keycloak for a fresh access token (worker client, client auth). Does not
 * persist anything: callers must store the rotated refresh token, and must serialise refreshes of one
 * grant because the old token stops working. Throws OAuthProviderError (e.g. `invalid_grant`) verbatim.
 */
export async function refreshOfflineToken(offlineToken: string, ctx: TOAuthCallContext): Promise<TRefreshedTokens> {
  const event = { actor: workerClient().clientId, action: "token.refresh", mechanism: "offline-refresh" } as const;
  const res = await reportedOAuthCall(
    ctx,
    event,
    async () => oidc.refreshTokenGrant(await getOidcConfig(), offlineToken),
    (r) => ({ subject: tokenSubject(r.access_token) }),
  );
  const now = Date.now();
  return {
    accessToken: asUserAccessToken(res.access_token),
    accessExpiresAt: accessExpiry(res, now),
    refreshToken: res.refresh_token ?? offlineToken,
    refreshExpiresAt: refreshExpiry(res, now),
    scopes: scopesOf(res.scope),
    subject: tokenSubject(res.access_token),
  };
}
