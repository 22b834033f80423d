import "server-only";
import * as oidc from "openid-client";
import { getOidcConfig } from "./get-oidc-config";

/**
 * What the callback must verify. Keep it server-side (sealed cookie or DB row), never in the URL:
 * the code verifier is what makes a stolen code useless.
 */
export type TConsentChecks = {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  requestedScopes: string[];
};

export type TConsentRequest = { url: URL; checks: TConsentChecks };

/**
 * Builds the authorization URL that asks a user to grant the worker offline access for the given task
 * scopes. Always PKCE S256 with fresh state and nonce, scope "openid offline_access <task scopes>" and
 * prompt=consent, so Keycloak shows the consent screen even when an older grant exists.
 */
export async function buildConsentRequest(input: { taskScopes: string[]; redirectUri: string }): Promise<TConsentRequest> {
  const config = await getOidcConfig();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const requestedScopes = ["openid", "offline_access", ...input.taskScopes.filter((s) => !["openid", "offline_access"].includes(s))];
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: input.redirectUri,
    response_type: "code",
    scope: requestedScopes.join(" "),
    prompt: "consent",
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  });
  return { url, checks: { state, nonce, codeVerifier, redirectUri: input.redirectUri, requestedScopes } };
}
