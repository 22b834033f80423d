import "server-only";
import { db } from "../db";
import { vaultAad } from "../vault/aad";
import { resealSecret } from "../vault/token-vault";
import { grantSecretAad } from "./grant-secret-aad";
import { lockGrant } from "./lock-grant";

/**
 * Re-seals a grant's tokens under the vault key `keyId` (key rotation): the grant's only write that is no
 * transition — status, scopes and the tokens themselves stay as they are. It holds the grant's row lock,
 * so a concurrent refresh can neither lose its rotated token nor have it overwritten. Returns false when
 * the grant is gone or already on `keyId`.
 */
export async function resealGrantSecrets(grantId: string, keyId: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const g = await lockGrant(tx, grantId);
    if (!g || g.keyId === keyId) return false;
    await tx.grant.update({
      where: { id: grantId },
      data: {
        keyId,
        refreshTokenEnc: resealSecret({ keyId: g.keyId, sealed: g.refreshTokenEnc }, grantSecretAad(g)),
        accessTokenEnc: g.accessTokenEnc ? resealSecret({ keyId: g.keyId, sealed: g.accessTokenEnc }, vaultAad.grantAccess(grantId)) : null,
      },
    });
    return true;
  });
}
