-- Hand-written: indexes for the audit trail's filtered, keyset-paginated reads (ORDER BY seq DESC).
-- Each exact filter gets a (column, seq) index so the newest page of a filtered set is a short index walk,
-- and a time range (translated to a seq range by the service) narrows the same index.
CREATE INDEX "AuditEvent_subject_seq_idx" ON "AuditEvent"("subject", "seq");
CREATE INDEX "AuditEvent_actor_seq_idx" ON "AuditEvent"("actor", "seq");
CREATE INDEX "AuditEvent_action_seq_idx" ON "AuditEvent"("action", "seq");
CREATE INDEX "AuditEvent_outcome_seq_idx" ON "AuditEvent"("outcome", "seq");
CREATE INDEX "AuditEvent_taskId_seq_idx" ON "AuditEvent"("taskId", "seq");
CREATE INDEX "AuditEvent_correlationId_seq_idx" ON "AuditEvent"("correlationId", "seq");

-- Free-text search is a substring match (ILIKE) over several columns and the details JSON. A trigram index
-- on exactly the expression the service uses (lib/services/audit/build-audit-where.ts, AUDIT_SEARCH_TEXT)
-- serves it. pg_trgm is a trusted extension, so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "AuditEvent_search_trgm_idx" ON "AuditEvent" USING GIN (("action" || ' ' || coalesce("resource", '') || ' ' || "actor" || ' ' || coalesce("subject", '') || ' ' || coalesce("errorCode", '') || ' ' || coalesce("details"::text, '')) gin_trgm_ops);
