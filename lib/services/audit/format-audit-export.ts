import type { TAuditEventRow } from "./read-audit-rows";

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
