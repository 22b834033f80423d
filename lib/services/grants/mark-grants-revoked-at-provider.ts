import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../../db";
import { auditRecorder } from "../../audit/record-event";

/**
 * Honours a revocation made outside the dashboard (Keycloak account console, an admin, back-channel
 * logout): the grants stop at once, their tasks stop with the reason shown, and each is audited.
 * Tokens are wiped because they are dead anyway. Returns how many grants changed.
 */
export async function markGrantsRevokedAtProvider(
  where: { grantIds?: string[]; userSub?: string; keycloakSid?: string },
  reason: string,
  correlationId: string = randomUUID(),
): Promise<number> {
  const filters = [
    where.grantIds ? { id: { in: where.grantIds } } : null,
    where.userSub ? { userSub: where.userSub } : null,
    where.keycloakSid ? { keycloakSid: where.keycloakSid } : null,
  ].filter((f) => f !== null);
  if (filters.length === 0) return 0;
  const grants = await db().grant.findMany({
    where: { AND: filters, status: { in: ["active", "pending"] } },
    select: { id: true, userSub: true },
  });
  const now = new Date();
  for (const g of grants) {
    const changed = await db().$transaction(async (tx) => {
      const n = await tx.grant.updateMany({
        where: { id: g.id, status: { in: ["active", "pending"] } },
        data: { status: "revoked_at_provider", revokedAt: now, revokeReason: reason, refreshTokenEnc: "", accessTokenEnc: null, accessExpiresAt: null, lastRefreshOk: false, lastError: reason, version: { increment: 1 } },
      });
      await tx.task.updateMany({ where: { grantId: g.id, status: { not: "revoked" } }, data: { status: "revoked", stoppedReason: `access revoked at Keycloak: ${reason}`, nextRunAt: null } });
      return n.count;
    });
    if (changed) {
      await auditRecorder({
        actor: "keycloak",
        actorType: "system",
        subject: g.userSub,
        action: "grant.revoked_at_provider",
        resource: `grant:${g.id}`,
        outcome: "success",
        correlationId,
        mechanism: "offline-access",
        details: { reason },
      });
    }
  }
  return grants.length;
}
