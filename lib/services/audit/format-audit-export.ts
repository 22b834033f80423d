import type { TCheckpoint } from "../../audit/checkpoint";
import type { TAuditEventRow } from "./read-audit-rows";

/** The whole-document JSON export written before NDJSON (still read back as a witness). */
export const AUDIT_EXPORT_TYPE = "ncdd-audit-export/v1";
/** The NDJSON export: a head line with this type, the snapshot and the checkpoint, then one event per line. */
export const AUDIT_NDJSON_EXPORT_TYPE = "ncdd-audit-export/v2";
/** First cell of the CSV trailer row that carries the signed checkpoint. */
export const CSV_CHECKPOINT_MARKER = "#checkpoint";

export const AUDIT_EXPORT_COLUMNS = [
  "seq",
  "at",
  "actor",
  "actorType",
  "subject",
  "actChain",
  "action",
  "resource",
  "outcome",
  "errorCode",
  "taskId",
  "correlationId",
  "mechanism",
  "details",
  "prevHash",
  "hash",
] as const satisfies readonly (keyof TAuditEventRow)[];

// A spreadsheet would run these as formulas (OWASP "CSV injection"); a leading apostrophe keeps them text.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break, quotes doubled, and cells a
 * spreadsheet would evaluate (= + - @ tab CR first) prefixed with an apostrophe.
 */
export function escapeCsvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV header line (LF-terminated like the rows PostgreSQL's COPY writes). */
export function formatCsvHeader(): string {
  return `${AUDIT_EXPORT_COLUMNS.join(",")}\n`;
}

/**
 * The CSV trailer: one last row, `#checkpoint` and the signed checkpoint as JSON, so a saved export is a
 * witness of what the trail held when it was taken (`verify-audit --against <file>`).
 */
export function formatCsvCheckpointTrailer(checkpoint: TCheckpoint | null): string {
  return `${CSV_CHECKPOINT_MARKER},${escapeCsvCell(checkpoint === null ? "" : JSON.stringify(checkpoint))}\n`;
}

/** The first line of an NDJSON export: type, snapshot and the signed checkpoint; events follow, one a line. */
export function formatNdjsonExportHead(snapshotSeq: string, checkpoint: TCheckpoint | null): string {
  return `${JSON.stringify({ type: AUDIT_NDJSON_EXPORT_TYPE, snapshotSeq, checkpoint })}\n`;
}
