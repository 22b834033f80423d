import "server-only";
import { db } from "../db";
import { auditRecorder } from "../audit/record-event";
import { workerClient } from "../oauth/get-oidc-config";
import { readAppPasswordAccount } from "../nextcloud/delete-app-password";
import { getAppPasswordCredential } from "./get-app-password-credential";
import { lockGrant } from "./lock-grant";
import { markRevokedAtProvider } from "./mark-revoked-at-provider";

/**
 * The health check of an app-password grant: one request with the app password (OCS "who am I"). 200 as
 * the person's account → still active. 401 → Nextcloud no longer accepts it (the device was removed in
 * "Devices & sessions", or the account's password changed): the grant becomes revoked_at_provider and its
 * tasks stop in one transaction, as for a refusal at Keycloak. Anything else (unreachable, 5xx) concludes
 * nothing and is recorded as the last error.
 */
export async function checkAppPasswordGrant(grantId: string, correlationId: string): Promise<"active" | "revoked" | "unknown"> {
  const { credential, expectedLoginName, userSub } = await getAppPasswordCredential(grantId);
  const now = new Date();
  let answer: { status: number; id: string | null };
  try {
    answer = await readAppPasswordAccount(credential, {
      recorder: auditRecorder,
      correlationId,
      subject: userSub,
      actor: workerClient().clientId,
      expectedLoginName,
      action: "grant.health_check",
    });
  } catch (error) {
    await db().grant.updateMany({
      where: { id: grantId, status: "active" },
      data: { lastRefreshAt: now, lastRefreshOk: false, lastError: error instanceof Error ? error.message : "health check failed" },
    });
    return "unknown";
  }
  if (answer.status === 401) {
    const revoked = await db().$transaction(async (tx) => {
      const locked = await lockGrant(tx, grantId);
      if (!locked || locked.status !== "active") return false;
      await markRevokedAtProvider(
        tx,
        locked,
        `HTTP 401 to GET /ocs/v2.php/cloud/user with the app password at ${now.toISOString()}`,
        correlationId,
        "nextcloud",
      );
      return true;
    });
    return revoked ? "revoked" : "unknown";
  }
  const ok = answer.status === 200 && answer.id === expectedLoginName;
  await db().grant.updateMany({
    where: { id: grantId, status: "active" },
    data: {
      lastRefreshAt: now,
      lastRefreshOk: ok,
      lastError: ok ? null : `Nextcloud answered HTTP ${answer.status}${answer.id ? ` as "${answer.id}"` : ""}`,
      recheckAt: null,
    },
  });
  return ok ? "active" : "unknown";
}
