import "server-only";
import * as oidc from "openid-client";
import { getOidcConfig, workerClient } from "./get-oidc-config";
import type { TOAuthCallContext } from "./report-oauth-event";
import { reportedOAuthCall } from "./reported-oauth-call";

/**
 * RFC 7009 revocation with the worker's client authentication. Revoking an offline token ends that
 * offline session at Keycloak, so every later refresh of it fails with invalid_grant. Resolves on
 * Keycloak's 200; throws OAuthProviderError with Keycloak's words otherwise (e.g. "Unmatching clients").
 */
export async function revokeToken(token: string, tokenTypeHint: "refresh_token" | "access_token", ctx: TOAuthCallContext): Promise<void> {
  const event = { actor: workerClient().clientId, action: "token.revoke", mechanism: "rfc7009", details: { tokenTypeHint } } as const;
  await reportedOAuthCall(ctx, event, async () => oidc.tokenRevocation(await getOidcConfig(), token, { token_type_hint: tokenTypeHint }));
}
