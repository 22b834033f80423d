import "server-only";
import * as oidc from "openid-client";
import { env } from "../env";
import { getOidcConfig } from "./get-oidc-config";
import { toOAuthError } from "./oauth-errors";
import { accessExpiry } from "./token-response-fields";

export type TRefreshedLogin = {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  idToken: string | null;
  roles: string[] | null;
};

/**
 * Refreshes a person's dashboard sign-in at Keycloak (dashboard client). Keycloak re-reads the user on
 * every refresh: a disabled user or an ended SSO session is refused (invalid_grant), and the new
 * id_token carries the current realm roles. Persists nothing; callers store the rotated tokens.
 */
export async function refreshLoginToken(refreshToken: string): Promise<TRefreshedLogin> {
  const e = env();
  try {
    const config = await getOidcConfig({ clientId: e.KEYCLOAK_DASHBOARD_CLIENT_ID, clientSecret: e.KEYCLOAK_DASHBOARD_CLIENT_SECRET });
    const res = await oidc.refreshTokenGrant(config, refreshToken);
    const claims = res.claims();
    const roles = claims && Array.isArray(claims.realm_roles) ? (claims.realm_roles as string[]) : null;
    return {
      accessToken: res.access_token,
      accessExpiresAt: accessExpiry(res),
      refreshToken: res.refresh_token ?? refreshToken,
      idToken: res.id_token ?? null,
      roles,
    };
  } catch (err) {
    throw toOAuthError("login.refresh", err);
  }
}
