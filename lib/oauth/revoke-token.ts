import "server-only";
import * as oidc from "openid-client";
import { getOidcConfig, workerClient } from "./get-oidc-config";
import { providerErrorCode, toOAuthError } from "./oauth-errors";
import { reportOAuthEvent, type TOAuthCallContext } from "./report-oauth-event";

/**
 * RFC 7009 revocation with the worker's client authentication. Revoking an offline token ends that
 * offline session at Keycloak, so every later refresh of it fails with invalid_grant. Resolves on
 * Keycloak's 200; throws OAuthProviderError with Keycloak's words otherwise (e.g. "Unmatching clients").
 */
export async function revokeToken(
  token: string,
  tokenTypeHint: "refresh_token" | "access_token",
  ctx: TOAuthCallContext,
): Promise<void> {
  const actor = workerClient().clientId;
  try {
    await oidc.tokenRevocation(await getOidcConfig(), token, { token_type_hint: tokenTypeHint });
    await reportOAuthEvent(ctx, { actor, action: "token.revoke", outcome: "success", mechanism: "rfc7009", details: { tokenTypeHint } });
  } catch (err) {
    const e = toOAuthError("token.revoke", err);
    await reportOAuthEvent(ctx, { actor, action: "token.revoke", outcome: "failure", mechanism: "rfc7009", errorCode: providerErrorCode(e), details: { tokenTypeHint } });
    throw e;
  }
}
