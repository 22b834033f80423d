import "server-only";
import type { Prisma } from "@prisma/client";
import { db } from "../db";
import { vaultAad } from "./aad";
import { grantSecretAad } from "../grants/grant-secret-aad";
import { currentKeyId, openSecret, sealSecret } from "./token-vault";

export type TRotationReport = { keyId: string; grants: number; revocations: number; loginSessions: number };

type TTx = Prisma.TransactionClient;

// Rows in a final state keep no token (empty column): there is nothing to re-seal.
const reseal = (keyId: string, sealed: string, aad: string) =>
  sealed ? sealSecret(openSecret({ keyId, sealed }, aad), aad).sealed : sealed;

/**
 * Re-encrypts every sealed column (Grant refresh/access, Revocation token, LoginSession id/access/
 * refresh) that is not under the newest TOKEN_VAULT_KEYS key. Each row is locked while it is rewritten,
 * so a concurrent refresh (which also locks the Grant row) can neither lose its rotated token nor be
 * overwritten. Idempotent: rows already on the newest key are skipped. Once it reports zero rows left,
 * older keys can be removed from the configuration. (The one writer of Grant rows outside lib/grants:
 * re-sealing changes no state, only the key a token is sealed with.)
 */
export async function rotateVaultKeys(): Promise<TRotationReport> {
  const keyId = currentKeyId();
  const report: TRotationReport = { keyId, grants: 0, revocations: 0, loginSessions: 0 };

  for (const { id } of await db().grant.findMany({ where: { keyId: { not: keyId } }, select: { id: true } })) {
    if (await inRowLock('"Grant"', id, (tx) => rotateGrant(tx, id, keyId))) report.grants++;
  }
  for (const { id } of await db().revocation.findMany({ where: { keyId: { not: keyId } }, select: { id: true } })) {
    if (await inRowLock('"Revocation"', id, (tx) => rotateRevocation(tx, id, keyId))) report.revocations++;
  }
  for (const { id } of await db().loginSession.findMany({ where: { keyId: { not: keyId } }, select: { id: true } })) {
    if (await inRowLock('"LoginSession"', id, (tx) => rotateLoginSession(tx, id, keyId))) report.loginSessions++;
  }
  return report;
}

async function inRowLock(
  table: '"Grant"' | '"Revocation"' | '"LoginSession"',
  id: string,
  fn: (tx: TTx) => Promise<boolean>,
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    // Table names are constants above; only the id is a parameter.
    await tx.$executeRawUnsafe(`SELECT 1 FROM ${table} WHERE "id" = $1 FOR UPDATE`, id);
    return fn(tx);
  });
}

async function rotateGrant(tx: TTx, id: string, keyId: string): Promise<boolean> {
  const g = await tx.grant.findUnique({ where: { id } });
  if (!g || g.keyId === keyId) return false;
  await tx.grant.update({
    where: { id },
    data: {
      keyId,
      refreshTokenEnc: reseal(g.keyId, g.refreshTokenEnc, grantSecretAad(g)),
      accessTokenEnc: g.accessTokenEnc ? reseal(g.keyId, g.accessTokenEnc, vaultAad.grantAccess(id)) : null,
    },
  });
  return true;
}

async function rotateRevocation(tx: TTx, id: string, keyId: string): Promise<boolean> {
  const r = await tx.revocation.findUnique({ where: { id } });
  if (!r || r.keyId === keyId) return false;
  await tx.revocation.update({ where: { id }, data: { keyId, tokenEnc: reseal(r.keyId, r.tokenEnc, vaultAad.revocationToken(id)) } });
  return true;
}

async function rotateLoginSession(tx: TTx, id: string, keyId: string): Promise<boolean> {
  const s = await tx.loginSession.findUnique({ where: { id } });
  if (!s || s.keyId === keyId) return false;
  await tx.loginSession.update({
    where: { id },
    data: {
      keyId,
      idTokenEnc: reseal(s.keyId, s.idTokenEnc, vaultAad.loginId(id)),
      accessTokenEnc: reseal(s.keyId, s.accessTokenEnc, vaultAad.loginAccess(id)),
      refreshTokenEnc: s.refreshTokenEnc ? reseal(s.keyId, s.refreshTokenEnc, vaultAad.loginRefresh(id)) : null,
    },
  });
  return true;
}
