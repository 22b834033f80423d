import "server-only";
import * as oidc from "openid-client";
import { getOidcConfig, type TClientCredentials } from "./get-oidc-config";
import type { TOAuthCallContext } from "./report-oauth-event";
import { reportedOAuthCall } from "./reported-oauth-call";
import { asServiceAccountToken, type TServiceAccountToken } from "./token-types";

/**
 * A client_credentials token: the client acting as itself. Typed TServiceAccountToken so the compiler
 * keeps it away from Nextcloud; its only legal use is as an exchange subject_token (the probes).
 */
export async function getServiceAccountToken(client: TClientCredentials, ctx: TOAuthCallContext): Promise<TServiceAccountToken> {
  const event = { actor: client.clientId, action: "token.client_credentials", mechanism: "service-account" } as const;
  const res = await reportedOAuthCall(ctx, event, async () => oidc.clientCredentialsGrant(await getOidcConfig(client)));
  return asServiceAccountToken(res.access_token);
}
