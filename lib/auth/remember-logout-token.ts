import "server-only";
import { db } from "../db";

/**
 * Remembers a logout token's `jti` until it expires and says whether it is new. A replayed token (same
 * jti) answers false, so its handler changes nothing. Expired entries are dropped on the way.
 */
export async function rememberLogoutToken(jti: string, expiresAt: Date): Promise<boolean> {
  await db().seenLogoutToken.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  const inserted = await db().$executeRaw`
    INSERT INTO "SeenLogoutToken" ("jti", "expiresAt") VALUES (${jti}, ${expiresAt}) ON CONFLICT ("jti") DO NOTHING`;
  return inserted === 1;
}
