import "server-only";
import type { Prisma } from "@prisma/client";
import { db } from "../db";
import { vaultAad } from "./aad";
import { currentKeyId, resealSecret } from "./token-vault";
import { resealGrantSecrets } from "../grants/reseal-grant-secrets";
import { resealRevocationToken } from "../grants/reseal-revocation-token";

export type TRotationReport = { keyId: string; grants: number; revocations: number; loginSessions: number };

/**
 * Re-encrypts every sealed column (Grant refresh/access, Revocation token, LoginSession id/access/
 * refresh) that is not under the newest TOKEN_VAULT_KEYS key. Each row is locked while it is rewritten,
 * so a concurrent refresh (which also locks the row) can neither lose its rotated token nor be
 * overwritten. Idempotent: rows already on the newest key are skipped. Once it reports zero rows left,
 * older keys can be removed from the configuration. Grant and Revocation rows are re-sealed by lib/grants,
 * their one writer.
 */
export async function rotateVaultKeys(): Promise<TRotationReport> {
  const keyId = currentKeyId();
  const report: TRotationReport = { keyId, grants: 0, revocations: 0, loginSessions: 0 };

  for (const { id } of await db().grant.findMany({ where: { keyId: { not: keyId } }, select: { id: true } })) {
    if (await resealGrantSecrets(id, keyId)) report.grants++;
  }
  for (const { id } of await db().revocation.findMany({ where: { keyId: { not: keyId } }, select: { id: true } })) {
    if (await resealRevocationToken(id, keyId)) report.revocations++;
  }
  for (const { id } of await db().loginSession.findMany({ where: { keyId: { not: keyId } }, select: { id: true } })) {
    if (await db().$transaction((tx) => rotateLoginSession(tx, id, keyId))) report.loginSessions++;
  }
  return report;
}

async function rotateLoginSession(tx: Prisma.TransactionClient, id: string, keyId: string): Promise<boolean> {
  await tx.$executeRaw`SELECT 1 FROM "LoginSession" WHERE "id" = ${id} FOR UPDATE`;
  const s = await tx.loginSession.findUnique({ where: { id } });
  if (!s || s.keyId === keyId) return false;
  const reseal = (sealed: string, aad: string) => resealSecret({ keyId: s.keyId, sealed }, aad);
  await tx.loginSession.update({
    where: { id },
    data: {
      keyId,
      idTokenEnc: reseal(s.idTokenEnc, vaultAad.loginId(id)),
      accessTokenEnc: reseal(s.accessTokenEnc, vaultAad.loginAccess(id)),
      refreshTokenEnc: s.refreshTokenEnc ? reseal(s.refreshTokenEnc, vaultAad.loginRefresh(id)) : null,
    },
  });
  return true;
}
