-- Hand-written: appending to the audit chain in one statement (one round trip) instead of six (begin, lock,
-- read the head, draw seqs, insert, commit). The writer sends each event's canonical form cut into four
-- pieces around the three values only the database knows once it holds the chain lock (the time, the
-- previous hash and the seq). This function takes the lock, reads the head, joins the pieces and hashes
-- them with sha256(), so the stored hash is exactly what the JavaScript verifier recomputes
-- (canonicalizeEventParts in lib/audit/canonical-core.mjs, and the tests compare both on every kind of text).
-- It runs as its caller (the app role may only SELECT and INSERT events), and each statement inside sees
-- rows committed before it, so the head it reads after the lock is the newest. The rows go in with one
-- INSERT, so the hourly rollup below runs once per append, not once per row. The offline migration
-- engine splits at every semicolon, so the PL/pgSQL bodies spell them \073. The lock id is
-- AUDIT_CHAIN_LOCK_ID ("NCDDAUDT") of lib/audit/record-event.ts.
CREATE FUNCTION audit_append(p_rows jsonb)
  RETURNS TABLE (o_seq bigint, o_at timestamptz, o_prev text, o_hash text)
  LANGUAGE plpgsql SET search_path = public AS
  E'DECLARE
  v_last record\073
  v_at timestamptz\073
  v_at_text text\073
  v_prev text\073
  v_seq bigint\073
  v_hash text\073
  v_seqs bigint[] := ''{}''\073
  v_prevs text[] := ''{}''\073
  v_hashes text[] := ''{}''\073
  r jsonb\073
BEGIN
  PERFORM pg_advisory_xact_lock(5639426218342564948)\073
  SELECT e."hash", e."at" INTO v_last FROM "AuditEvent" e ORDER BY e."seq" DESC LIMIT 1\073
  v_at := date_trunc(''milliseconds'', clock_timestamp())\073
  IF v_last."at" IS NOT NULL AND v_last."at" > v_at THEN
    v_at := v_last."at"\073
  END IF\073
  v_at_text := to_char(v_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'')\073
  v_prev := coalesce(v_last."hash", repeat(''0'', 64))\073
  FOR r IN SELECT value FROM jsonb_array_elements(p_rows) LOOP
    v_seq := nextval(pg_get_serial_sequence(''"AuditEvent"'', ''seq''))\073
    v_hash := encode(sha256(convert_to((r->>''c0'') || v_at_text || (r->>''c1'') || v_prev || (r->>''c2'') || v_seq::text || (r->>''c3''), ''UTF8'')), ''hex'')\073
    v_seqs := v_seqs || v_seq\073
    v_prevs := v_prevs || v_prev\073
    v_hashes := v_hashes || v_hash\073
    v_prev := v_hash\073
  END LOOP\073
  RETURN QUERY WITH ins AS (
    INSERT INTO "AuditEvent" ("seq", "at", "actor", "actorType", "subject", "actChain", "action", "resource", "outcome",
      "errorCode", "taskId", "correlationId", "mechanism", "details", "prevHash", "hash")
    SELECT s.seq, v_at, j.r->>''actor'', j.r->>''actorType'', j.r->>''subject'', NULLIF(j.r->''actChain'', ''null''::jsonb), j.r->>''action'',
      j.r->>''resource'', j.r->>''outcome'', j.r->>''errorCode'', j.r->>''taskId'', j.r->>''correlationId'', j.r->>''mechanism'',
      NULLIF(j.r->''details'', ''null''::jsonb), s.prev, s.hash
    FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS j(r, i)
    JOIN unnest(v_seqs, v_prevs, v_hashes) WITH ORDINALITY AS s(seq, prev, hash, i) ON s.i = j.i
    ORDER BY s.seq
    RETURNING "AuditEvent"."seq", "AuditEvent"."at", "AuditEvent"."prevHash", "AuditEvent"."hash"
  ) SELECT * FROM ins\073
END\073';

-- The hourly rollup, kept per statement from its new rows (one upsert per hour and dimension of a batch)
-- instead of five upserts per row. Every writer holds the chain lock, so two batches never upsert at once.
CREATE FUNCTION audit_hourly_count_add_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
  E'BEGIN
  INSERT INTO "AuditHourlyCount" ("hour", "subject", "action", "outcome", "n")
    SELECT date_trunc(''hour'', "at", ''UTC''), coalesce("subject", ''''), "action", "outcome", count(*) FROM new_rows GROUP BY 1, 2, 3, 4
    ON CONFLICT ("hour", "subject", "action", "outcome") DO UPDATE SET "n" = "AuditHourlyCount"."n" + EXCLUDED."n"\073
  INSERT INTO "AuditHourlyTotal" ("hour", "action", "outcome", "n")
    SELECT h, coalesce(a, ''*''), coalesce(o, ''*''), count(*)
    FROM (SELECT date_trunc(''hour'', "at", ''UTC'') AS h, "action" AS a, "outcome" AS o FROM new_rows) e
    GROUP BY GROUPING SETS ((h, a, o), (h, a), (h, o), (h))
    ON CONFLICT ("hour", "action", "outcome") DO UPDATE SET "n" = "AuditHourlyTotal"."n" + EXCLUDED."n"\073
  RETURN NULL\073
END\073';
REVOKE ALL ON FUNCTION audit_hourly_count_add_rows() FROM PUBLIC;
DROP TRIGGER "AuditEvent_hourly_count" ON "AuditEvent";
CREATE TRIGGER "AuditEvent_hourly_count" AFTER INSERT ON "AuditEvent" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_hourly_count_add_rows();
DROP FUNCTION audit_hourly_count_add();
