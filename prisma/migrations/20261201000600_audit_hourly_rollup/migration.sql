-- Hand-written: hourly audit counts for the chart, maintained by PostgreSQL on every insert into the
-- append-only AuditEvent table, so the chart sums at most 24 rows per day and dimension instead of scanning
-- events. The trigger function runs as its owner (SECURITY DEFINER): the app role only INSERTs events.
-- The offline migration engine splits at every semicolon, so the PL/pgSQL body spells them \073.
CREATE TABLE "AuditHourlyCount" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "action" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "n" BIGINT NOT NULL,
    CONSTRAINT "AuditHourlyCount_pkey" PRIMARY KEY ("hour", "subject", "action", "outcome")
);
CREATE INDEX "AuditHourlyCount_subject_hour_idx" ON "AuditHourlyCount"("subject", "hour");

-- The same counts without the subject: per subject, a busy hour has almost as many rows as events, so
-- charts over everyone read this one. Besides (action, outcome) each hour has rows for any action ('*'),
-- any outcome ('*') and both, so a chart over everyone reads one row per hour whatever its filter.
CREATE TABLE "AuditHourlyTotal" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "action" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "n" BIGINT NOT NULL,
    CONSTRAINT "AuditHourlyTotal_pkey" PRIMARY KEY ("action", "outcome", "hour")
);

CREATE FUNCTION audit_hourly_count_add() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
  E'BEGIN INSERT INTO "AuditHourlyCount" ("hour", "subject", "action", "outcome", "n") VALUES (date_trunc(''hour'', NEW."at", ''UTC''), coalesce(NEW."subject", ''''), NEW."action", NEW."outcome", 1) ON CONFLICT ("hour", "subject", "action", "outcome") DO UPDATE SET "n" = "AuditHourlyCount"."n" + 1\073 INSERT INTO "AuditHourlyTotal" ("hour", "action", "outcome", "n") VALUES (date_trunc(''hour'', NEW."at", ''UTC''), NEW."action", NEW."outcome", 1), (date_trunc(''hour'', NEW."at", ''UTC''), NEW."action", ''*'', 1), (date_trunc(''hour'', NEW."at", ''UTC''), ''*'', NEW."outcome", 1), (date_trunc(''hour'', NEW."at", ''UTC''), ''*'', ''*'', 1) ON CONFLICT ("hour", "action", "outcome") DO UPDATE SET "n" = "AuditHourlyTotal"."n" + 1\073 RETURN NULL\073 END\073';
REVOKE ALL ON FUNCTION audit_hourly_count_add() FROM PUBLIC;
CREATE TRIGGER "AuditEvent_hourly_count" AFTER INSERT ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_hourly_count_add();

INSERT INTO "AuditHourlyCount" ("hour", "subject", "action", "outcome", "n")
  SELECT date_trunc('hour', "at", 'UTC'), coalesce("subject", ''), "action", "outcome", count(*)
  FROM "AuditEvent" GROUP BY 1, 2, 3, 4;
INSERT INTO "AuditHourlyTotal" ("hour", "action", "outcome", "n")
  SELECT h, coalesce(a, '*'), coalesce(o, '*'), count(*)
  FROM (SELECT date_trunc('hour', "at", 'UTC') AS h, "action" AS a, "outcome" AS o FROM "AuditEvent") e
  GROUP BY GROUPING SETS ((h, a, o), (h, a), (h, o), (h));
