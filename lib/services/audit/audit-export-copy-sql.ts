/**
 * The SELECT lists of the export's `COPY (query) TO STDOUT`, so PostgreSQL writes each exported line itself
 * and Node only forwards bytes. Both keep the columns of AUDIT_EXPORT_COLUMNS in that order, with `seq` as
 * text and `at` as ISO-8601 UTC with milliseconds (exactly what the hash covers and the JSON rows carry).
 */
const ISO_AT = `to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// A spreadsheet would run a cell starting with = + - @ tab or CR as a formula (OWASP "CSV injection"): a
// leading apostrophe keeps it text, as escapeCsvCell does for the trailer.
const safeCell = (expr: string) =>
  `CASE WHEN left(${expr}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${expr} ELSE ${expr} END`;

/** CSV columns (PostgreSQL's CSV quoting; JSON columns as their JSON text). */
export const CSV_EXPORT_SELECT = [
  `seq::text`,
  ISO_AT,
  safeCell(`actor`),
  safeCell(`"actorType"`),
  safeCell(`subject`),
  safeCell(`"actChain"::text`),
  safeCell(`action`),
  safeCell(`resource`),
  safeCell(`outcome`),
  safeCell(`"errorCode"`),
  safeCell(`"taskId"`),
  safeCell(`"correlationId"`),
  safeCell(`mechanism`),
  safeCell(`details::text`),
  `"prevHash"`,
  `hash`,
].join(", ");

/**
 * The columns of one NDJSON row, named as the keys of TAuditEventRow; the export wraps them as
 * `to_json(r)` of a sorted subquery (faster and smaller than json_build_object). A subquery with ORDER BY
 * is never flattened into the outer query, so its rows reach to_json in that order.
 */
export const NDJSON_EXPORT_COLUMNS = `seq::text AS seq, ${ISO_AT} AS "at", actor, "actorType", subject, "actChain", action, resource,
  outcome, "errorCode", "taskId", "correlationId", mechanism, details, "prevHash", hash`;

/**
 * COPY options per format. For NDJSON, CSV mode with a quote and delimiter byte that JSON text never holds
 * raw (JSON escapes every control character) writes each object verbatim: text mode would double its
 * backslashes.
 */
export const COPY_OPTIONS = {
  csv: `(FORMAT csv)`,
  ndjson: `(FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`,
} as const;
