-- Hand-written: Prisma's schema language cannot express generated columns, GIN indexes or triggers.

-- Notes search: a generated tsvector kept in step with title and content by PostgreSQL itself.
ALTER TABLE "NoteDocument" DROP COLUMN "search";
ALTER TABLE "NoteDocument" ADD COLUMN "search" tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', coalesce("title", '') || ' ' || coalesce("content", ''))) STORED;
CREATE INDEX "NoteDocument_search_idx" ON "NoteDocument" USING GIN ("search");

-- Audit trail is append-only: the database refuses UPDATE, DELETE and TRUNCATE whoever asks.
-- The offline (WASM) migration engine splits a script at every semicolon, even inside $$ quoting or comments,
-- so the PL/pgSQL body spells its semicolons as the octal escape \073 inside an E'' string.
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''AuditEvent is append-only: % refused'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END\073';
CREATE TRIGGER "AuditEvent_no_update_delete" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
