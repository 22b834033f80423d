import "server-only";
import * as oidc from "openid-client";
import { getOidcConfig, type TClientCredentials } from "./get-oidc-config";
import { providerErrorCode, toOAuthError } from "./oauth-errors";
import { reportOAuthEvent, type TOAuthCallContext } from "./report-oauth-event";
import { asServiceAccountToken, type TServiceAccountToken } from "./token-types";

/**
 * A client_credentials token: the client acting as itself. Typed TServiceAccountToken so the compiler
 * keeps it away from Nextcloud; its only legal use is as an exchange subject_token (the probes).
 */
export async function getServiceAccountToken(client: TClientCredentials, ctx: TOAuthCallContext): Promise<TServiceAccountToken> {
  try {
    const res = await oidc.clientCredentialsGrant(await getOidcConfig(client));
    await reportOAuthEvent(ctx, { actor: client.clientId, action: "token.client_credentials", outcome: "success", mechanism: "service-account" });
    return asServiceAccountToken(res.access_token);
  } catch (err) {
    const e = toOAuthError("token.client_credentials", err);
    await reportOAuthEvent(ctx, { actor: client.clientId, action: "token.client_credentials", outcome: "failure", mechanism: "service-account", errorCode: providerErrorCode(e) });
    throw e;
  }
}
