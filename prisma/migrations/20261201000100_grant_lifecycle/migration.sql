-- Grant lifecycle (issue 9): one active grant per (user, worker client), no unused "pending" state,
-- back-channel re-check hints, revocation receipts that cover Keycloak's consent and collected data,
-- and a memory of handled logout tokens (replays change nothing).

-- Older duplicates of an active grant become "revoked": the newest active grant of each (user, client)
-- stays. Their offline sessions end with the newest grant's revocation when they share its Keycloak
-- session, and otherwise at Keycloak's offline idle timeout.
UPDATE "Grant" g SET "status" = 'revoked', "revokedAt" = now(),
  "revokeReason" = 'superseded: the dashboard now keeps one grant per worker', "refreshTokenEnc" = '', "accessTokenEnc" = NULL
WHERE g."status" IN ('active', 'pending') AND EXISTS (
  SELECT 1 FROM "Grant" n WHERE n."userSub" = g."userSub" AND n."clientId" = g."clientId"
    AND n."status" = 'active' AND (n."grantedAt", n."id") > (g."grantedAt", g."id"));
UPDATE "Grant" SET "status" = 'revoked', "revokedAt" = now(), "revokeReason" = 'never completed' WHERE "status" = 'pending';

ALTER TYPE "GrantStatus" RENAME TO "GrantStatus_old";
CREATE TYPE "GrantStatus" AS ENUM ('active', 'revoking', 'revoked', 'revoked_at_provider');
ALTER TABLE "Grant" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Grant" ALTER COLUMN "status" TYPE "GrantStatus" USING ("status"::text::"GrantStatus");
ALTER TABLE "Grant" ALTER COLUMN "status" SET DEFAULT 'active';
DROP TYPE "GrantStatus_old";

ALTER TABLE "Grant" ADD COLUMN "recheckAt" TIMESTAMP(3);
CREATE INDEX "Grant_recheckAt_idx" ON "Grant"("recheckAt");
-- Not expressible in schema.prisma: a partial unique index. Keep it when generating later migrations.
CREATE UNIQUE INDEX "Grant_one_active_per_user_client" ON "Grant"("userSub", "clientId") WHERE "status" = 'active';

CREATE TYPE "RevocationPurpose" AS ENUM ('grant', 'superseded_token');
ALTER TABLE "Revocation" ADD COLUMN "purpose" "RevocationPurpose" NOT NULL DEFAULT 'grant',
  ADD COLUMN "consentRemovedAt" TIMESTAMP(3),
  ADD COLUMN "consentProof" TEXT,
  ADD COLUMN "consentError" TEXT,
  ADD COLUMN "dataDisposition" JSONB;

CREATE TABLE "SeenLogoutToken" (
  "jti" TEXT NOT NULL,
  "expiresAt" TIMESTAMP(3) NOT NULL,
  CONSTRAINT "SeenLogoutToken_pkey" PRIMARY KEY ("jti")
);
CREATE INDEX "SeenLogoutToken_expiresAt_idx" ON "SeenLogoutToken"("expiresAt");
