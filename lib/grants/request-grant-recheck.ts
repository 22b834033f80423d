import "server-only";
import { db } from "../db";

/**
 * Asks for a live re-check of grants, `delayMs` from now (the worker's re-check loop does it). Used when
 * Keycloak hints that something changed (a back-channel logout): the hint alone never revokes, the
 * refresh's answer does. Only active grants are touched; returns how many were marked.
 */
export async function requestGrantRecheck(
  where: { userSub: string; clientId: string; keycloakSid?: string; grantedBefore?: Date },
  delayMs: number,
): Promise<number> {
  const marked = await db().grant.updateMany({
    where: {
      userSub: where.userSub,
      clientId: where.clientId,
      status: "active",
      // A Keycloak logout says nothing about a Nextcloud app password.
      mechanism: "offline_access",
      ...(where.keycloakSid ? { keycloakSid: where.keycloakSid } : {}),
      ...(where.grantedBefore ? { grantedAt: { lte: where.grantedBefore } } : {}),
    },
    data: { recheckAt: new Date(Date.now() + delayMs) },
  });
  return marked.count;
}
