import "server-only";
import * as oidc from "openid-client";
import { getOidcConfig } from "./get-oidc-config";
import { toOAuthError } from "./oauth-errors";
import { asUserAccessToken, type TUserAccessToken } from "./token-types";
import type { TConsentChecks } from "./build-consent-request";
import { accessExpiry, refreshExpiry, scopesOf } from "./token-response-fields";

/** The result of a consent: an offline token and the facts a Grant row records. Tokens stay server-side. */
export type TRedeemedConsent = {
  /** The user's Keycloak id, from the verified id_token. */
  sub: string;
  /** Keycloak's session id (`sid`) from the id_token, when present. */
  sid: string | null;
  /** Scopes Keycloak actually granted, from the token response (not what was asked for). */
  grantedScopes: string[];
  offlineToken: string;
  accessToken: TUserAccessToken;
  accessExpiresAt: Date;
  /** Offline-session idle expiry, when Keycloak reports refresh_expires_in (0 means none). */
  refreshExpiresAt: Date | null;
};

/**
 * Redeems the authorization code at the callback. openid-client verifies state, the PKCE verifier, the
 * id_token signature and the nonce; this function additionally refuses a response without an offline
 * refresh token, because a grant without one cannot act in the background.
 */
export async function redeemConsentCode(callbackUrl: URL, checks: TConsentChecks): Promise<TRedeemedConsent> {
  const config = await getOidcConfig();
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(
      config,
      callbackUrl,
      { expectedState: checks.state, expectedNonce: checks.nonce, pkceCodeVerifier: checks.codeVerifier, idTokenExpected: true },
      { redirect_uri: checks.redirectUri },
    );
  } catch (err) {
    throw toOAuthError("code.redeem", err);
  }
  const claims = tokens.claims();
  if (!claims?.sub)
    throw toOAuthError("code.redeem", Object.assign(new Error("id_token has no subject"), { code: "OAUTH_INVALID_RESPONSE" }));
  if (!tokens.refresh_token) {
    throw toOAuthError(
      "code.redeem",
      Object.assign(new Error("no refresh token was issued; was offline_access granted?"), { code: "OAUTH_INVALID_RESPONSE" }),
    );
  }
  const grantedScopes = scopesOf(tokens.scope);
  const now = Date.now();
  return {
    sub: claims.sub,
    sid: typeof claims.sid === "string" ? claims.sid : null,
    grantedScopes,
    offlineToken: tokens.refresh_token,
    accessToken: asUserAccessToken(tokens.access_token),
    accessExpiresAt: accessExpiry(tokens, now),
    refreshExpiresAt: refreshExpiry(tokens, now),
  };
}
