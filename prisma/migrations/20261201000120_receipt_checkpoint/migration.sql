-- A revocation receipt carries the signed audit checkpoint current when it was issued (a witness).
ALTER TABLE "Revocation" ADD COLUMN "checkpoint" JSONB;
