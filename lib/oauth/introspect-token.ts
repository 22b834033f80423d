import "server-only";
import * as oidc from "openid-client";
import { getOidcConfig, workerClient } from "./get-oidc-config";
import type { TOAuthCallContext } from "./report-oauth-event";
import { reportedOAuthCall } from "./reported-oauth-call";
import { audienceOf, scopesOf } from "./token-response-fields";

export type TIntrospection = {
  active: boolean;
  sub: string | null;
  clientId: string | null;
  username: string | null;
  aud: string[];
  scope: string[];
  expiresAt: Date | null;
  tokenType: string | null;
};

/**
 * Asks Keycloak whether a token is still active (RFC 7662, worker client auth): the authoritative answer
 * after a revocation, since a JWT's own signature stays valid until it expires. Returns only claims.
 */
export async function introspectToken(token: string, ctx: TOAuthCallContext): Promise<TIntrospection> {
  const event = { actor: workerClient().clientId, action: "token.introspect", mechanism: "rfc7662" } as const;
  return reportedOAuthCall(
    ctx,
    event,
    () => readIntrospection(token),
    (r) => ({ subject: r.sub, details: { active: r.active } }),
  );
}

async function readIntrospection(token: string): Promise<TIntrospection> {
  const r = await oidc.tokenIntrospection(await getOidcConfig(), token);
  return {
    active: r.active === true,
    sub: typeof r.sub === "string" ? r.sub : null,
    clientId: typeof r.client_id === "string" ? r.client_id : null,
    username: typeof r.username === "string" ? r.username : null,
    aud: audienceOf(r.aud),
    scope: scopesOf(r.scope),
    expiresAt: typeof r.exp === "number" ? new Date(r.exp * 1000) : null,
    tokenType: typeof r.token_type === "string" ? r.token_type : null,
  };
}
