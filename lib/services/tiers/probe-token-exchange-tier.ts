import "server-only";
import { decodeJwt } from "jose";
import { env } from "../../env";
import { exchangeToken } from "../../oauth/exchange-token";
import { workerClient } from "../../oauth/get-oidc-config";
import type { TUserAccessToken } from "../../oauth/token-types";
import type { TAuditRecorder } from "../../audit/types";
import { describeProviderError } from "./describe-provider-error";
import { NEXTCLOUD_SCOPES, type TProbeGrant } from "./find-probe-grant";
import { PROBE_GRANT_FIX, STANDARD_EXCHANGE_FIX, type TTierProbeResult } from "./tier-types";
import { audienceOf } from "../../oauth/token-response-fields";

export type TExchangeProbe = {
  result: TTierProbeResult;
  /** Claims of the exchanged token (for the `act` probe); the token itself is dropped here. */
  claims: Record<string, unknown> | null;
};

/** The exact change that makes Keycloak accept the exchange, chosen from Keycloak's own words. */
function fixFor(response: string, clientId: string, audience: string): string {
  if (/standard token exchange is not enabled/i.test(response)) return STANDARD_EXCHANGE_FIX(clientId);
  if (/audience/i.test(response)) {
    return `Keycloak only offers audience "${audience}" through a scope that maps it: grant ${NEXTCLOUD_SCOPES.join(" or ")} (their client scopes carry an audience mapper for "${audience}"), and check that client ${clientId} has that scope as an optional client scope.`;
  }
  if (/not.*(confidential|public)/i.test(response)) return `Client ${clientId} must be confidential (Client authentication ON) for token exchange.`;
  return `Read Keycloak's answer above; Standard Token Exchange needs client ${clientId} to be confidential, in the subject token's aud, and to have standard.token.exchange.enabled=true.`;
}

/**
 * Tier 2: a live RFC 8693 exchange (Keycloak Standard V2) of the probe grant's access token for one
 * whose audience is Nextcloud. On success the evidence shows the result's sub/azp/aud (and whether it
 * names the caller); on failure Keycloak's error verbatim and the exact fix. Tokens are never kept.
 */
export async function probeTokenExchangeTier(
  token: TUserAccessToken | null,
  grant: TProbeGrant | null,
  call: { recorder: TAuditRecorder; correlationId: string; subject: string },
): Promise<TExchangeProbe> {
  const mechanism = "tier2-token-exchange" as const;
  if (!token || !grant) {
    return { claims: null, result: { mechanism, status: "needs_probe_grant", evidence: { request: "not sent", response: "no probe token (see Offline access)" }, fix: PROBE_GRANT_FIX } };
  }
  const audience = env().NEXTCLOUD_AUDIENCE;
  const clientId = workerClient().clientId;
  const scope = grant.scopes.filter((s) => (NEXTCLOUD_SCOPES as readonly string[]).includes(s));
  const request = `POST token endpoint as client ${clientId}: grant_type=urn:ietf:params:oauth:grant-type:token-exchange, audience=${audience}, scope=${scope.join(" ") || "(none)"}, subject_token=<your probe grant's access token>`;
  try {
    const exchanged = await exchangeToken({ subjectToken: token, audience, scope }, call);
    const c = decodeJwt(exchanged.accessToken);
    const claims = { sub: c.sub, azp: c.azp, aud: c.aud, scope: c.scope, act: c.act ?? null };
    const aud = audienceOf(c.aud);
    const problems = [
      ...(aud.includes(audience) ? [] : [`aud does not include "${audience}"`]),
      ...(c.sub === call.subject ? [] : ["sub is not the grant's user"]),
    ];
    return {
      claims,
      result: {
        mechanism,
        status: problems.length ? "failing" : "works",
        evidence: {
          request,
          response: problems.length
            ? `Keycloak issued a token, but ${problems.join(" and ")}`
            : `Keycloak issued a token for the user (sub), by the worker (azp), for ${audience} (aud); token discarded`,
          claims,
        },
        fix: problems.length ? fixFor("audience", clientId, audience) : null,
      },
    };
  } catch (err) {
    const { response } = describeProviderError(err);
    return { claims: null, result: { mechanism, status: "failing", evidence: { request, response }, fix: fixFor(response, clientId, audience) } };
  }
}
