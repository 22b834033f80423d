import "server-only";
import { db } from "../db";
import { vaultAad } from "../vault/aad";
import { resealSecret } from "../vault/token-vault";

/**
 * Re-seals an outbox revocation's token under the vault key `keyId` (key rotation), under the row's lock so
 * the outbox cannot confirm (and forget the token) in between. Returns false when the row is gone or
 * already on `keyId`.
 */
export async function resealRevocationToken(revocationId: string, keyId: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "Revocation" WHERE "id" = ${revocationId} FOR UPDATE`;
    const r = await tx.revocation.findUnique({ where: { id: revocationId } });
    if (!r || r.keyId === keyId) return false;
    await tx.revocation.update({
      where: { id: revocationId },
      data: { keyId, tokenEnc: resealSecret({ keyId: r.keyId, sealed: r.tokenEnc }, vaultAad.revocationToken(revocationId)) },
    });
    return true;
  });
}
