import "server-only";
import type { Prisma } from "@prisma/client";

export type TLockedGrant = {
  id: string;
  userSub: string;
  clientId: string;
  status: string;
  mechanism: "offline_access" | "app_password";
  nextcloudLoginName: string | null;
  keyId: string;
  refreshTokenEnc: string;
  accessTokenEnc: string | null;
  accessExpiresAt: Date | null;
  keycloakSid: string | null;
  scopes: string[];
  grantedAt: Date;
  lastUsedAt: Date | null;
};

/**
 * Reads a grant with its row lock (FOR UPDATE) inside the caller's transaction: every transition and
 * every refresh of one grant is serialised by it, across processes, so a single-use refresh token is
 * never spent twice and a revoke never races a rotation. `userSub` scopes the lookup when given.
 */
export async function lockGrant(tx: Prisma.TransactionClient, grantId: string, userSub?: string): Promise<TLockedGrant | null> {
  const rows = userSub
    ? await tx.$queryRaw<TLockedGrant[]>`
        SELECT "id", "userSub", "clientId", "status"::text AS "status", "mechanism"::text AS "mechanism", "nextcloudLoginName",
          "keyId", "refreshTokenEnc", "accessTokenEnc", "accessExpiresAt", "keycloakSid", "scopes", "grantedAt", "lastUsedAt"
        FROM "Grant" WHERE "id" = ${grantId} AND "userSub" = ${userSub} FOR UPDATE`
    : await tx.$queryRaw<TLockedGrant[]>`
        SELECT "id", "userSub", "clientId", "status"::text AS "status", "mechanism"::text AS "mechanism", "nextcloudLoginName",
          "keyId", "refreshTokenEnc", "accessTokenEnc", "accessExpiresAt", "keycloakSid", "scopes", "grantedAt", "lastUsedAt"
        FROM "Grant" WHERE "id" = ${grantId} FOR UPDATE`;
  return rows[0] ?? null;
}

/** The active grant of a (user, worker client, mechanism), locked; null when there is none. */
export async function lockActiveGrantOf(
  tx: Prisma.TransactionClient,
  userSub: string,
  clientId: string,
  mechanism: TLockedGrant["mechanism"] = "offline_access",
): Promise<TLockedGrant | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Grant" WHERE "userSub" = ${userSub} AND "clientId" = ${clientId} AND "status" = 'active'
      AND "mechanism"::text = ${mechanism} FOR UPDATE`;
  return rows[0] ? lockGrant(tx, rows[0].id) : null;
}
