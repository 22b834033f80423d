import "server-only";
import { env } from "../../env";
import { probeImpersonationExchange } from "../../oauth/probe-impersonation-exchange";
import type { TUserAccessToken } from "../../oauth/token-types";
import type { TAuditRecorder } from "../../audit/types";
import { describeProviderError } from "./describe-provider-error";
import { PROBE_GRANT_FIX, type TTierProbeResult } from "./tier-types";

const LEGACY_NOTE =
  "Impersonation would need Keycloak's Legacy V1 token exchange (a preview feature: --features=preview,token-exchange plus fine-grained admin permissions), which is not for production.";

/**
 * Tier 1: asks Keycloak for an impersonation exchange (`requested_subject`) with the probe grant's
 * token. The requested subject is the caller themself, so even a provider that allowed it would mint no
 * power over anyone else; lib/oauth drops any token it issues and returns only claims. Keycloak's
 * refusal is shown verbatim.
 */
export async function probeImpersonationTier(
  token: TUserAccessToken | null,
  call: { recorder: TAuditRecorder; correlationId: string; subject: string },
): Promise<TTierProbeResult> {
  const mechanism = "tier1-impersonation" as const;
  if (!token) {
    return {
      mechanism,
      status: "needs_probe_grant",
      evidence: { request: "not sent", response: "no probe token (see Offline access)", notes: [LEGACY_NOTE] },
      fix: PROBE_GRANT_FIX,
    };
  }
  const audience = env().NEXTCLOUD_AUDIENCE;
  const request = `POST token endpoint: grant_type=token-exchange, audience=${audience}, requested_subject=${call.subject} (yourself), subject_token=<your probe grant's access token>`;
  try {
    const probe = await probeImpersonationExchange({ subjectToken: token, requestedSubject: call.subject, audience }, call);
    if (probe.supported) {
      return {
        mechanism,
        status: "works",
        evidence: {
          request,
          response: "Keycloak issued an impersonation token (discarded; only its claims are shown)",
          claims: probe.claims,
          warning: `This realm allows impersonation: Legacy V1 token exchange (preview) appears to be enabled. It is not for production.`,
          notes: [LEGACY_NOTE],
        },
        fix: "Disable the preview token-exchange feature and use Tier 2 (Standard V2 token exchange) instead.",
      };
    }
    const words = probe.errorDescription ? `${probe.error}: ${probe.errorDescription}` : probe.error;
    return {
      mechanism,
      status: "refused",
      evidence: { request, response: `${words}${probe.status ? ` (HTTP ${probe.status})` : ""}`, notes: [LEGACY_NOTE] },
      fix: `Nothing to fix: this refusal is expected with Standard V2. ${LEGACY_NOTE} Use Tier 2 instead.`,
    };
  } catch (err) {
    return {
      mechanism,
      status: "failing",
      evidence: { request, response: describeProviderError(err).response, notes: [LEGACY_NOTE] },
      fix: "Keycloak could not be asked; check that it is reachable.",
    };
  }
}
