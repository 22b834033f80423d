import "server-only";
import { decodeJwt } from "jose";
import { getDelegatedToken } from "../../grants/get-delegated-token";
import { getOidcConfig, workerClient } from "../../oauth/get-oidc-config";
import type { TUserAccessToken } from "../../oauth/token-types";
import type { TAuditRecorder } from "../../audit/types";
import { describeProviderError } from "./describe-provider-error";
import type { TProbeGrant } from "./find-probe-grant";
import { PROBE_GRANT_FIX, type TTierProbeResult } from "./tier-types";

// Longer than any access token lives, so the cached one never satisfies it and a real refresh happens.
const FORCE_REFRESH_SECONDS = 366 * 24 * 3600;

export type TOfflineProbe = {
  result: TTierProbeResult;
  /** The freshly refreshed access token, for the next probes in the same run only; never stored. */
  token: TUserAccessToken | null;
};

/**
 * Offline access: does discovery offer `offline_access`, and does a live refresh of the probe grant
 * work right now? The refresh goes through getDelegatedToken, so it is serialised with every other use
 * of that grant and the rotated offline token is stored sealed. Evidence keeps claims, never the token.
 */
export async function probeOfflineAccess(
  grant: TProbeGrant | null,
  call: { recorder: TAuditRecorder; correlationId: string },
): Promise<TOfflineProbe> {
  const mechanism = "offline-access" as const;
  const scopes = (await getOidcConfig()).serverMetadata().scopes_supported ?? [];
  const offered = scopes.includes("offline_access");
  const discovery = `discovery scopes_supported ${offered ? "includes" : "does NOT include"} offline_access`;
  if (!offered) {
    return {
      token: null,
      result: {
        mechanism,
        status: "failing",
        evidence: { request: "GET .well-known/openid-configuration", response: discovery },
        fix: "In Keycloak, realm → Client scopes: the built-in offline_access scope must exist and be an optional scope of the worker client.",
      },
    };
  }
  if (!grant) {
    return {
      token: null,
      result: {
        mechanism,
        status: "needs_probe_grant",
        evidence: {
          request: "GET .well-known/openid-configuration; live refresh skipped",
          response: `${discovery}; you have no active grant to refresh`,
        },
        fix: PROBE_GRANT_FIX,
      },
    };
  }
  const request = `POST token endpoint: grant_type=refresh_token as client ${workerClient().clientId} with your grant ${grant.id} (scopes ${grant.scopes.join(" ")})`;
  try {
    const delegated = await getDelegatedToken({
      grantId: grant.id,
      recorder: call.recorder,
      correlationId: call.correlationId,
      minValiditySeconds: FORCE_REFRESH_SECONDS,
    });
    const c = decodeJwt(delegated.token);
    return {
      token: delegated.token,
      result: {
        mechanism,
        status: "works",
        evidence: {
          request,
          response: `${discovery}; Keycloak refreshed the offline grant (${delegated.source}); the rotated offline token was stored sealed`,
          claims: { sub: c.sub, azp: c.azp, aud: c.aud, scope: c.scope },
          notes: [
            `the worker client is allowed offline_access: the grant carries ${grant.scopes.includes("offline_access") ? "offline_access" : "an offline session"}`,
          ],
        },
        fix: null,
      },
    };
  } catch (err) {
    const { response } = describeProviderError(err);
    return {
      token: null,
      result: {
        mechanism,
        status: "failing",
        evidence: { request, response: `${discovery}; refresh failed: ${response}` },
        fix: /invalid_grant|revoked/i.test(response)
          ? `Your probe grant no longer works at Keycloak. ${PROBE_GRANT_FIX}`
          : "Check that Keycloak is reachable and that the worker client's secret (KEYCLOAK_WORKER_CLIENT_SECRET) is right.",
      },
    };
  }
}
