import "server-only";
import { db } from "../../db";
import { auditRecorder } from "../../audit/record-event";

/**
 * After Keycloak refused a grant's refresh (invalid_grant: removed in the account console, by an admin
 * or expired), stops the grant's tasks with the reason shown to the user and records the event. The
 * grant row itself was already marked `revoked_at_provider` by the token module.
 */
export async function recordRevokedAtProvider(grantId: string, providerWords: string | undefined, correlationId: string): Promise<void> {
  const reason = `Keycloak no longer accepts this offline access (${providerWords ?? "invalid_grant"}); it was removed in Keycloak, e.g. in the account console`;
  const grant = await db().grant.update({ where: { id: grantId }, data: { revokeReason: reason }, select: { userSub: true } });
  await db().task.updateMany({
    where: { grantId, status: { not: "revoked" } },
    data: { status: "revoked", stoppedReason: `access revoked at Keycloak: ${reason}`, nextRunAt: null },
  });
  await auditRecorder({
    actor: "keycloak",
    actorType: "system",
    subject: grant.userSub,
    action: "grant.revoked_at_provider",
    resource: `grant:${grantId}`,
    outcome: "success",
    errorCode: "invalid_grant",
    correlationId,
    mechanism: "offline-access",
    details: { reason },
  });
}
