import type { TTierProbeResult } from "./tier-types";
import { PROBE_GRANT_FIX } from "./tier-types";

/**
 * Delegation with an `act` claim (RFC 8693 §4.1): inspects the claims of the token Tier 2 just
 * obtained. Keycloak 26.7 issues none, so the trail records the worker as actor (azp) and the user as
 * subject instead. Pure: it only reads claims the Tier 2 probe kept.
 */
export function probeActDelegation(exchange: { claims: Record<string, unknown> | null; status: string }): TTierProbeResult {
  const mechanism = "delegation-act" as const;
  const request = "inspect the token obtained by the Tier 2 probe for an act claim";
  if (!exchange.claims) {
    return exchange.status === "needs_probe_grant"
      ? { mechanism, status: "needs_probe_grant", evidence: { request, response: "no exchanged token to inspect" }, fix: PROBE_GRANT_FIX }
      : {
          mechanism,
          status: "not_detected",
          evidence: { request, response: "Tier 2 failed, so there is no exchanged token to inspect" },
          fix: "Fix Tier 2 first.",
        };
  }
  const act = exchange.claims.act;
  if (act !== null && act !== undefined) {
    return {
      mechanism,
      status: "works",
      evidence: { request, response: "the exchanged token carries an act claim", claims: { act, sub: exchange.claims.sub } },
      fix: null,
    };
  }
  return {
    mechanism,
    status: "not_detected",
    evidence: {
      request,
      response:
        "no act claim in the exchanged token (Keycloak 26.7 Standard V2 issues none); the audit trail records azp as actor and sub as subject instead",
      claims: { sub: exchange.claims.sub, azp: exchange.claims.azp, act: null },
    },
    fix: "None in Keycloak 26.7: delegation with may_act / actor_token is an experimental Keycloak 26.8 feature. Nothing to change here.",
  };
}
