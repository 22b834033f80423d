import "server-only";
import type { Prisma } from "@prisma/client";
import { db } from "../db";

/**
 * Records the parts of a revocation that happen outside the grant row — Keycloak's consent removed (with
 * its proof) or not (with the reason), and what was done with the data the tasks collected — so the
 * receipt can state each part. Only the revocation's own user may record them.
 */
export async function recordRevocationParts(
  revocationId: string,
  userSub: string,
  parts: {
    consent?: { removedAt: Date; proof: string } | { error: string };
    dataDisposition?: Record<string, unknown>;
    /** The signed audit checkpoint the receipt carries (null when none could be signed). */
    checkpoint?: unknown;
  },
): Promise<void> {
  const data: Prisma.RevocationUpdateManyMutationInput = {};
  if (parts.consent && "removedAt" in parts.consent)
    Object.assign(data, { consentRemovedAt: parts.consent.removedAt, consentProof: parts.consent.proof, consentError: null });
  if (parts.consent && "error" in parts.consent) Object.assign(data, { consentError: parts.consent.error });
  if (parts.dataDisposition) data.dataDisposition = parts.dataDisposition as Prisma.InputJsonValue;
  if (parts.checkpoint) data.checkpoint = parts.checkpoint;
  await db().revocation.updateMany({ where: { id: revocationId, userSub }, data });
}
