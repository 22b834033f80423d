import type { TCheckpoint } from "../../audit/checkpoint";
import type { TAuditEventRow } from "./read-audit-rows";

export const AUDIT_EXPORT_TYPE = "ncdd-audit-export/v1";
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

/** The CSV header line (CRLF-terminated, as RFC 4180 asks). */
export function formatCsvHeader(): string {
  return `${AUDIT_EXPORT_COLUMNS.join(",")}\r\n`;
}

/** One audit row as a CSV line; JSON columns are embedded as JSON text. */
export function formatCsvRow(row: TAuditEventRow): string {
  return `${AUDIT_EXPORT_COLUMNS.map((c) => escapeCsvCell(row[c])).join(",")}\r\n`;
}

/**
 * The CSV trailer: one last row, `#checkpoint` and the signed checkpoint as JSON, so a saved export is a
 * witness of what the trail held when it was taken (`verify-audit --against <file>`).
 */
export function formatCsvCheckpointTrailer(checkpoint: TCheckpoint | null): string {
  return `${CSV_CHECKPOINT_MARKER},${escapeCsvCell(checkpoint === null ? "" : JSON.stringify(checkpoint))}\r\n`;
}

/** The opening of a JSON export: an object with the signed checkpoint first, then the `events` array. */
export function formatJsonExportHead(snapshotSeq: string, checkpoint: TCheckpoint | null): string {
  return `{"type":${JSON.stringify(AUDIT_EXPORT_TYPE)},"snapshotSeq":${JSON.stringify(snapshotSeq)},"checkpoint":${JSON.stringify(checkpoint)},"events":[`;
}
