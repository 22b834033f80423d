-- App-password grants (issue 17): a grant is either offline access (a Keycloak refresh token) or a Nextcloud app
-- password from Login Flow v2. Both are sealed in "refreshTokenEnc" (each with its own vault AAD), and an app-password
-- grant also keeps the Nextcloud login name it belongs to. No new table: the app role's rights on "Grant"
-- (scripts/lib/apply-app-grants.ts) cover the new columns, and enum types are usable by every role.
CREATE TYPE "GrantMechanism" AS ENUM ('offline_access', 'app_password');
ALTER TABLE "Grant" ADD COLUMN "mechanism" "GrantMechanism" NOT NULL DEFAULT 'offline_access',
  ADD COLUMN "nextcloudLoginName" TEXT;

-- One active grant per (user, worker client) AND mechanism: a person may hold an OAuth grant and an app password
-- side by side. Not expressible in schema.prisma (a partial unique index), so keep it in later migrations.
DROP INDEX "Grant_one_active_per_user_client";
CREATE UNIQUE INDEX "Grant_one_active_per_user_client" ON "Grant"("userSub", "clientId", "mechanism") WHERE "status" = 'active';
