import "server-only";
import { decodeJwt } from "jose";
import { env } from "../../env";
import { exchangeToken } from "../../oauth/exchange-token";
import { workerClient } from "../../oauth/get-oidc-config";
import type { TUserAccessToken } from "../../oauth/token-types";
import type { TAuditRecorder } from "../../audit/types";
import { nextcloudRequest } from "../../oauth/nextcloud-client";
import { describeProviderError } from "./describe-provider-error";
import { probeCapabilities } from "./probe-capabilities";
import { NEXTCLOUD_SCOPES, type TProbeGrant } from "./find-probe-grant";
import { PROBE_GRANT_FIX, STANDARD_EXCHANGE_FIX, type TTierProbeResult } from "./tier-types";
import { audienceOf } from "../../oauth/token-response-fields";
import { discardBody } from "../../nextcloud/discard-body";

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
  if (/not.*(confidential|public)/i.test(response))
    return `Client ${clientId} must be confidential (Client authentication ON) for token exchange.`;
  return `Read Keycloak's answer above; Standard Token Exchange needs client ${clientId} to be confidential, in the subject token's aud, and to have standard.token.exchange.enabled=true.`;
}

/**
 * Tier 2: a live RFC 8693 exchange (Keycloak Standard V2) of the probe grant's access token for one
 * whose audience is Nextcloud, then end to end: the exchanged token is presented to Nextcloud (OCS "who am
 * I", through the guarded client) and must resolve to the probing admin's own account (`account`), not to
 * a new user; then every API of the capability matrix is asked once with it. On success the evidence
 * shows the result's sub/azp/aud, the Nextcloud account and Nextcloud's statuses; on failure the
 * provider's words verbatim and the exact fix. Tokens are never kept.
 */
export async function probeTokenExchangeTier(
  token: TUserAccessToken | null,
  grant: TProbeGrant | null,
  call: { recorder: TAuditRecorder; correlationId: string; subject: string },
  account: string,
): Promise<TExchangeProbe> {
  const mechanism = "tier2-token-exchange" as const;
  if (!token || !grant) {
    return {
      claims: null,
      result: {
        mechanism,
        status: "needs_probe_grant",
        evidence: { request: "not sent", response: "no probe token (see Offline access)" },
        fix: PROBE_GRANT_FIX,
      },
    };
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
    const send = (req: Parameters<typeof nextcloudRequest>[1]) =>
      nextcloudRequest(exchanged.accessToken, req, { ...call, mechanism: "token-exchange" });
    let nextcloudUser: string | null = null;
    let capabilities: Awaited<ReturnType<typeof probeCapabilities>> = [];
    if (problems.length === 0) {
      const who = await resolveNextcloudUser(send);
      nextcloudUser = who.id;
      if (who.id !== account)
        problems.push(
          `Nextcloud (OCS user) resolved it to ${who.id ? `"${who.id}"` : `nobody (${who.answer})`}, not to your account "${account}"`,
        );
      capabilities = await probeCapabilities(account, send);
    }
    return {
      claims,
      result: {
        mechanism,
        status: problems.length ? "failing" : "works",
        evidence: {
          request,
          response: problems.length
            ? `Keycloak issued a token, but ${problems.join(" and ")}`
            : `Keycloak issued a token for the user (sub), by the worker (azp), for ${audience} (aud); Nextcloud's OCS user endpoint resolved it to your account "${nextcloudUser}"; token discarded`,
          claims: { ...claims, nextcloudUser },
          capabilities,
        },
        fix: problems.length
          ? problems.some((p) => p.startsWith("Nextcloud"))
            ? `Nextcloud must map the token to your existing account: user_oidc with --mapping-uid=preferred_username (and bearer validation on), NEXTCLOUD_URL pointing at that Nextcloud, and NEXTCLOUD_AUDIENCE equal to user_oidc's client id.`
            : fixFor("audience", clientId, audience)
          : null,
      },
    };
  } catch (err) {
    const { response } = describeProviderError(err);
    return {
      claims: null,
      result: { mechanism, status: "failing", evidence: { request, response }, fix: fixFor(response, clientId, audience) },
    };
  }
}

/** Who Nextcloud says the token is (OCS `cloud/user`): the account id, or why there is none. */
async function resolveNextcloudUser(
  send: (req: Parameters<typeof nextcloudRequest>[1]) => Promise<Response>,
): Promise<{ id: string | null; answer: string }> {
  try {
    const res = await send({
      method: "GET",
      path: "/ocs/v2.php/cloud/user?format=json",
      headers: { "ocs-apirequest": "true", accept: "application/json" },
    });
    if (!res.ok) {
      await discardBody(res);
      return { id: null, answer: `HTTP ${res.status}` };
    }
    const body = (await res.json().catch(() => null)) as { ocs?: { data?: { id?: unknown } } } | null;
    const id = body?.ocs?.data?.id;
    return typeof id === "string" ? { id, answer: `HTTP ${res.status}` } : { id: null, answer: `HTTP ${res.status} without a user id` };
  } catch (err) {
    return { id: null, answer: err instanceof Error ? err.message : "request failed" };
  }
}
