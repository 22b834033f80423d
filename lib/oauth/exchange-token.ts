import "server-only";
import * as oidc from "openid-client";
import { decodeJwt } from "jose";
import { getOidcConfig, workerClient } from "./get-oidc-config";
import type { TOAuthCallContext } from "./report-oauth-event";
import { reportedOAuthCall } from "./reported-oauth-call";
import type { TAuditMechanism } from "../audit/audit-kinds";
import { accessExpiry, scopesOf } from "./token-response-fields";
import { asServiceAccountToken, asUserAccessToken, type TExchangeSubjectToken } from "./token-types";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

export type TExchangeInput<T extends TExchangeSubjectToken> = {
  subjectToken: T;
  /** The single audience the new token is for (e.g. "nextcloud"). */
  audience: string;
  scope?: string[];
  requestedTokenType?: string;
  /** Only for providers that support delegation (`act`); Keycloak 26.7 Standard V2 does not. */
  actorToken?: string;
  actorTokenType?: string;
};

export type TExchanged<T extends TExchangeSubjectToken> = {
  accessToken: T;
  accessExpiresAt: Date;
  issuedTokenType: string | null;
  scopes: string[];
};

/**
 * RFC 8693 token exchange by the worker client. The result keeps the subject's kind: exchanging a user
 * token yields a user token, exchanging a service-account token yields a service-account token (still
 * refused by the Nextcloud client). There is deliberately no `requested_subject` here: impersonation is
 * only ever attempted by probeImpersonationExchange.
 */
export async function exchangeToken<T extends TExchangeSubjectToken>(
  input: TExchangeInput<T>,
  ctx: TOAuthCallContext,
): Promise<TExchanged<T>> {
  const params: Record<string, string> = {
    subject_token: input.subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    requested_token_type: input.requestedTokenType ?? ACCESS_TOKEN_TYPE,
    audience: input.audience,
  };
  if (input.scope?.length) params.scope = input.scope.join(" ");
  if (input.actorToken) {
    params.actor_token = input.actorToken;
    params.actor_token_type = input.actorTokenType ?? ACCESS_TOKEN_TYPE;
  }
  const res = await postExchange(params, ctx, { audience: input.audience, mechanism: "token-exchange" });
  const minted = isServiceAccountClaims(decodeJwt(input.subjectToken))
    ? asServiceAccountToken(res.access_token)
    : asUserAccessToken(res.access_token);
  return {
    accessToken: minted as T,
    accessExpiresAt: accessExpiry(res),
    issuedTokenType: typeof res.issued_token_type === "string" ? res.issued_token_type : null,
    scopes: scopesOf(res.scope),
  };
}

/** Raw exchange call shared with the impersonation probe; reports token.exchange either way. */
export async function postExchange(
  params: Record<string, string>,
  ctx: TOAuthCallContext,
  meta: { audience?: string; mechanism: TAuditMechanism },
): Promise<Awaited<ReturnType<typeof oidc.genericGrantRequest>>> {
  const event = {
    actor: workerClient().clientId,
    action: "token.exchange",
    mechanism: meta.mechanism,
    details: { audience: meta.audience ?? null },
  } as const;
  return reportedOAuthCall(
    ctx,
    event,
    async () => oidc.genericGrantRequest(await getOidcConfig(), TOKEN_EXCHANGE_GRANT, params),
    (res) => {
      const claims = decodeJwt(res.access_token);
      return { subject: typeof claims.sub === "string" ? claims.sub : null, details: { aud: claims.aud ?? null } };
    },
    (e) => ({ details: { message: e.message } }),
  );
}

/**
 * Keycloak marks client_credentials tokens with a `client_id` claim (service_account scope) and a
 * `service-account-<client>` username. Either one means the token speaks for a client, not a person.
 */
export function isServiceAccountClaims(claims: Record<string, unknown>): boolean {
  const username = claims.preferred_username;
  return (typeof username === "string" && username.startsWith("service-account-")) || typeof claims.client_id === "string";
}
