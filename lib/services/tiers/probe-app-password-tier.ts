import "server-only";
import { db } from "../../db";
import { workerClient } from "../../oauth/get-oidc-config";
import { getAppPasswordCredential } from "../../grants/get-app-password-credential";
import { nextcloudAppPasswordRequest } from "../../nextcloud/app-password-request";
import type { TAuditRecorder } from "../../audit/types";
import type { TCtx } from "../context";
import { describeProviderError } from "./describe-provider-error";
import { probeCapabilities } from "./probe-capabilities";
import type { TTierProbeResult } from "./tier-types";

const WHY =
  "One person's own credential, so Nextcloud attributes every request to that person (it lists the device under Devices & sessions); but it has no scopes — it reaches every API the account can — and Nextcloud keeps no record of which app acted beyond the device name.";

/**
 * The app-password mechanism, probed with the caller's OWN active app-password grant (never another
 * person's): every API of the capability matrix is asked once with it and Nextcloud's statuses are kept
 * verbatim. Without such a grant it says how to connect one.
 */
export async function probeAppPasswordTier(
  ctx: TCtx,
  call: { recorder: TAuditRecorder; correlationId: string },
): Promise<TTierProbeResult> {
  const mechanism = "app-password" as const;
  const grant = await db().grant.findFirst({
    where: { userSub: ctx.userSub, status: "active", mechanism: "app_password" },
    orderBy: { grantedAt: "desc" },
    select: { id: true },
  });
  if (!grant) {
    return {
      mechanism,
      status: "not_configured",
      evidence: { request: "not sent", response: "you have no app-password grant to probe with", notes: [WHY] },
      fix: "Connect your own app password at /grants/new (“Connect by app password”) to see which Nextcloud APIs accept it.",
    };
  }
  try {
    const { credential, expectedLoginName } = await getAppPasswordCredential(grant.id);
    const capabilities = await probeCapabilities(credential.loginName, (req) =>
      nextcloudAppPasswordRequest(credential, req, { ...call, subject: ctx.userSub, actor: workerClient().clientId, expectedLoginName }),
    );
    const ocs = capabilities.find((c) => c.api === "ocs-user");
    const works = ocs?.status === 200;
    return {
      mechanism,
      status: works ? "works" : "failing",
      evidence: {
        request: `each API below with HTTP Basic as "${credential.loginName}" and your app password (not shown), grant ${grant.id}`,
        response: capabilities.map((c) => `${c.api} ${c.status ?? c.answer}`).join("; "),
        capabilities,
        notes: [WHY],
      },
      fix: works
        ? null
        : "Nextcloud refused your app password: it may have been removed under Devices & sessions; revoke it under My access and connect again.",
    };
  } catch (err) {
    return {
      mechanism,
      status: "failing",
      evidence: { request: "app password from your grant", response: describeProviderError(err).response, notes: [WHY] },
      fix: null,
    };
  }
}
