-- Dashboard sessions follow Keycloak (issue 10): roles and liveness re-confirmed by a refresh at least
-- every 5 minutes, and the reason a session ended. Sealed tokens of ended sessions are wiped.
ALTER TABLE "LoginSession" ADD COLUMN "roles" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "LoginSession" ADD COLUMN "confirmedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "LoginSession" ADD COLUMN "endReason" TEXT;
UPDATE "LoginSession" SET "idTokenEnc" = '', "accessTokenEnc" = '', "refreshTokenEnc" = NULL WHERE "endedAt" IS NOT NULL;
