import "server-only";
import { decodeJwt } from "jose";
import { getServiceAccountToken } from "../../oauth/get-service-account-token";
import { workerClient } from "../../oauth/get-oidc-config";
import { OAuthProviderError } from "../../oauth/oauth-errors";
import type { TAuditRecorder } from "../../audit/types";
import { describeProviderError } from "./describe-provider-error";
import type { TTierProbeResult } from "./tier-types";

/** Why the product refuses service accounts (design note "OAuth act on-behalf-of"). */
export const SERVICE_ACCOUNT_REASONS = [
  "With Nextcloud's user_oidc bearer provisioning, a client_credentials token creates a Nextcloud user of its own (e.g. service-account-nextcloud-mcp-server): a stateful server identity.",
  "Every action is attributed to the service account, not to the real user: it breaks the audit trail and user attribution.",
  'A service account is "admin by another name".',
  "Its only legal use is as the subject_token of an RFC 8693 exchange; the Nextcloud client refuses such tokens in code, by type and at run time.",
];

/**
 * Service accounts are REJECTED by policy whatever Keycloak says. The probe still checks live, with the
 * worker's own credentials and no admin rights, whether Keycloak would issue the worker a
 * client_credentials token: if it does, the page warns (the token is dropped here, sent nowhere, only
 * its identifying claims kept); if Keycloak refuses, its refusal is shown verbatim as the good outcome.
 */
export async function probeServiceAccounts(call: { recorder: TAuditRecorder; correlationId: string }): Promise<TTierProbeResult> {
  const mechanism = "service-accounts" as const;
  const { clientId, clientSecret } = workerClient();
  const request = `POST token endpoint: grant_type=client_credentials as client ${clientId} (its own credentials; any token issued is discarded)`;
  try {
    const token = await getServiceAccountToken({ clientId, clientSecret }, call);
    const c = decodeJwt(token);
    return {
      mechanism,
      status: "rejected_by_policy",
      evidence: {
        request,
        response: "Keycloak ISSUED a client_credentials token to the worker client (discarded, never sent anywhere)",
        claims: { sub: c.sub, azp: c.azp, preferred_username: c.preferred_username },
        warning: `Client ${clientId} still has service accounts enabled in the realm.`,
        notes: SERVICE_ACCOUNT_REASONS,
      },
      fix: `In Keycloak, client ${clientId} → turn off service accounts (Admin console: Client details → Capability config → Service accounts roles), so the worker can only act on behalf of users.`,
    };
  } catch (err) {
    const { response } = describeProviderError(err);
    const refused = err instanceof OAuthProviderError;
    return {
      mechanism,
      status: "rejected_by_policy",
      evidence: {
        request,
        response: refused
          ? `${response} — good: Keycloak refuses the worker a service-account token`
          : `could not ask Keycloak: ${response}`,
        notes: SERVICE_ACCOUNT_REASONS,
      },
      fix: null,
    };
  }
}
