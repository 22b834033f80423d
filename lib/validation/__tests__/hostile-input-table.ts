import { encodeAuditCursor } from "@/lib/services/audit/encode-audit-cursor";

/**
 * What a field is, for deciding whether a hostile value is nonetheless a legal value of it (then the answer
 * must be an ordinary one, never a 500, and nothing may change) or must be refused naming the field.
 */
export type TKind =
  | "id" // ZIdSchema: letters, digits, . _ : @ -, up to 128
  | "text256" // free text up to 256 characters
  | "text128" // free text up to 128 characters
  | "search" // audit search text, 3..200 characters
  | "date" // ISO date-time in 2000..2100
  | "cursor" // an audit page token
  | "outcome"
  | "format"
  | "minutes" // a whole number of minutes, 5..10080
  | "taskType"
  | "changeAction";

export type THostileCase = {
  name: string;
  value: unknown;
  /** Kinds of field for which the value is legal. */
  accepts: TKind[];
  /** Only meaningful in a query string, or only as a JavaScript value (server actions). */
  only?: "query" | "action";
  /** Used in query strings verbatim (already percent-encoded), e.g. to send bytes that are not UTF-8. */
  rawQuery?: string;
};

const TEXT: TKind[] = ["text256", "text128", "search"];
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const deep = (n: number): unknown => (n === 0 ? "x" : { a: deep(n - 1) });
const recent = new Date(Date.now() - 86_400_000).toISOString();

/** Hostile and odd strings: control characters, lengths, numbers, dates, cursors, Unicode, SQL and HTML. */
export const HOSTILE_STRINGS: THostileCase[] = [
  { name: "NUL inside", value: "ab\u0000cd", accepts: [] },
  { name: "NUL alone", value: "\u0000", accepts: [] },
  { name: "ANSI escape", value: "\u001b[31mred", accepts: [] },
  { name: "CRLF header injection", value: "abc\r\nSet-Cookie: a=b", accepts: [] },
  { name: "tab", value: "abc\tdef", accepts: [] },
  { name: "DEL", value: "abc\u007f", accepts: [] },
  { name: "C1 control", value: "abc\u0085", accepts: [] },
  { name: "bidi override", value: "abc\u202Etxt.exe", accepts: [] },
  { name: "noncharacter U+FFFF", value: "abc\uFFFF", accepts: [] },
  // A lone surrogate cannot travel in a URL: it arrives as U+FFFD, which is ordinary text.
  { name: "lone surrogate", value: "abc\uD800", accepts: [], only: "action" },
  { name: "lone surrogate in a URL", value: "abc\uD800", accepts: TEXT, only: "query" },
  { name: "bytes that are not UTF-8", value: "", rawQuery: "%FF%FE%ED%A0%80", accepts: TEXT, only: "query" },
  { name: "5,000 characters", value: "a".repeat(5_000), accepts: [] },
  { name: "100,000 characters", value: "b".repeat(100_000), accepts: [] },
  { name: "400 digits", value: "9".repeat(400), accepts: [] },
  { name: "SQL quote", value: "' OR '1'='1", accepts: TEXT },
  { name: "SQL stacked query", value: '1; DROP TABLE "AuditEvent"; --', accepts: TEXT },
  { name: "LIKE wildcards", value: "%_%\\", accepts: TEXT },
  { name: "HTML script", value: "<script>alert(1)</script>", accepts: TEXT },
  { name: "HTML attribute break-out", value: '"><img src=x onerror=alert(1)>', accepts: TEXT },
  { name: "1e308", value: "1e308", accepts: ["id", ...TEXT] },
  { name: "int64 max + 1", value: "9223372036854775808", accepts: ["id", ...TEXT] },
  { name: "-1", value: "-1", accepts: ["text256", "text128"] },
  { name: "NaN", value: "NaN", accepts: ["id", ...TEXT] },
  { name: "Infinity", value: "Infinity", accepts: ["id", ...TEXT] },
  { name: "bare number as date", value: "200000", accepts: ["id", ...TEXT] },
  { name: "earliest JS date", value: "-271821-04-20T00:00:00Z", accepts: TEXT },
  { name: "latest JS date", value: "+275760-09-13T00:00:00Z", accepts: TEXT },
  { name: "year 0", value: "0000-01-01", accepts: ["id", ...TEXT] },
  { name: "before 2000", value: "1999-12-31T23:59:59Z", accepts: ["id", ...TEXT] },
  { name: "after 2100", value: "2101-01-01T00:00:00Z", accepts: ["id", ...TEXT] },
  { name: "30 February", value: "2026-02-30T00:00:00Z", accepts: ["id", ...TEXT] },
  { name: "month 13", value: "2026-13-01", accepts: ["id", ...TEXT] },
  { name: "hour 25", value: "2026-11-28T25:00:00Z", accepts: ["id", ...TEXT] },
  { name: "date with a space", value: "2026-11-28 10:00:00", accepts: TEXT },
  { name: "epoch seconds", value: "1700000000", accepts: ["id", ...TEXT] },
  { name: "a recent date-time (legal)", value: recent, accepts: ["id", ...TEXT, "date"] },
  { name: "only spaces", value: "   ", accepts: ["id", ...TEXT, "date", "outcome"], only: "query" },
  { name: "emoji", value: "🔥🔥🔥", accepts: TEXT },
  { name: "combining marks", value: "e\u0301\u0301\u0301", accepts: TEXT },
  { name: "zero-width characters", value: "a\u200Bb\u200Cc", accepts: TEXT },
  { name: "Cyrillic homoglyph", value: "\u0430dmin", accepts: TEXT },
  { name: "fullwidth letters", value: "ＡＢＣ", accepts: TEXT },
  { name: "cursor beyond int64", value: b64("ae1:99999999999999999999"), accepts: ["id", ...TEXT] },
  { name: "cursor int64 max + 1", value: b64("ae1:9223372036854775808"), accepts: ["id", ...TEXT] },
  { name: "cursor negative", value: b64("ae1:-1"), accepts: ["id", ...TEXT] },
  { name: "cursor zero", value: b64("ae1:0"), accepts: ["id", ...TEXT] },
  { name: "cursor exponent", value: b64("ae1:1e9"), accepts: ["id", ...TEXT] },
  { name: "cursor of another version", value: b64("ae2:12"), accepts: ["id", ...TEXT] },
  { name: "cursor with NUL inside", value: b64("ae1:12\u0000"), accepts: ["id", ...TEXT] },
  { name: "cursor with padding", value: "YWUxOjE=", accepts: TEXT },
  { name: "punctuation", value: "!!!", accepts: TEXT },
  { name: "65 letters", value: "A".repeat(65), accepts: ["id", ...TEXT] },
  { name: "a real cursor (legal)", value: encodeAuditCursor(5n), accepts: ["id", ...TEXT, "cursor"] },
  { name: "outcome in the wrong case", value: "Success", accepts: ["id", ...TEXT] },
  { name: "an outcome (legal)", value: "success", accepts: ["id", ...TEXT, "outcome"] },
  { name: "unknown format", value: "xlsx", accepts: ["id", ...TEXT] },
  { name: "a format (legal)", value: "json", accepts: ["id", ...TEXT, "format"] },
  { name: "task type near miss", value: "notes-index ", accepts: ["text256", "text128", "search"], only: "action" },
  { name: "a task type (legal)", value: "notes-index", accepts: ["id", ...TEXT, "taskType"] },
  { name: "a change action (legal)", value: "pause", accepts: ["id", ...TEXT, "changeAction"] },
];

/** Values no form produces, for server actions (which take any serialisable value from the browser). */
export const HOSTILE_VALUES: THostileCase[] = [
  { name: "number 1e308", value: 1e308, accepts: [] },
  { name: "number NaN", value: Number.NaN, accepts: [] },
  { name: "number Infinity", value: Number.POSITIVE_INFINITY, accepts: [] },
  { name: "number -Infinity", value: Number.NEGATIVE_INFINITY, accepts: [] },
  { name: "number 2^63", value: 2 ** 63, accepts: [] },
  { name: "number -1", value: -1, accepts: [] },
  { name: "number -0", value: -0, accepts: [] },
  { name: "number 1.5", value: 1.5, accepts: [] },
  { name: "unsafe integer", value: Number.MAX_SAFE_INTEGER + 2, accepts: [] },
  { name: "a whole number of minutes (legal)", value: 60, accepts: ["minutes"] },
  { name: "bigint", value: 10n, accepts: [] },
  { name: "true", value: true, accepts: [] },
  { name: "null", value: null, accepts: [] },
  { name: "empty array", value: [], accepts: [] },
  { name: "array for a scalar", value: ["pause"], accepts: [] },
  { name: "nested arrays", value: [[["deep"]]], accepts: [] },
  { name: "empty object", value: {}, accepts: [] },
  { name: "operator object", value: { $gt: "" }, accepts: [] },
  { name: "__proto__ key", value: JSON.parse('{"__proto__":{"isAdmin":true}}'), accepts: [] },
  { name: "nested 50 deep", value: deep(50), accepts: [] },
  { name: "10,000 items", value: Array.from({ length: 10_000 }, () => "a"), accepts: [] },
  { name: "Date object", value: new Date(), accepts: [] },
  { name: "Map", value: new Map([["grantId", "x"]]), accepts: [] },
  { name: "Set", value: new Set(["x"]), accepts: [] },
];

/**
 * Everything hostile-input.test.ts sends the table to: each route handler under app/api (file → methods)
 * and each server action (file → exported actions). The test checks this list against the files on disk,
 * so a new route or action fails it until it is added here and reached by a test.
 */
export const HOSTILE_TARGETS = {
  routes: {
    "app/api/admin/audit/chart/route.ts": ["GET"],
    "app/api/admin/audit/checkpoint/route.ts": ["GET"],
    "app/api/admin/audit/export/route.ts": ["GET"],
    "app/api/admin/audit/route.ts": ["GET"],
    "app/api/admin/audit/verify/route.ts": ["GET", "POST"],
    "app/api/admin/tiers/route.ts": ["GET"],
    "app/api/admin/workers/route.ts": ["GET"],
    "app/api/auth/[...nextauth]/route.ts": ["GET", "POST"],
    "app/api/auth/backchannel-logout/route.ts": ["POST"],
    "app/api/backchannel-logout/route.ts": ["POST"],
    "app/api/grants/[grantId]/receipt/route.ts": ["GET"],
    "app/api/grants/route.ts": ["GET"],
    "app/api/health/live/route.ts": ["GET"],
    "app/api/health/ready/route.ts": ["GET"],
    "app/api/metrics/route.ts": ["GET"],
    "app/api/session/end/route.ts": ["POST"],
    "app/api/tasks/requests/route.ts": ["GET"],
    "app/api/tasks/route.ts": ["GET"],
  } as Record<string, string[]>,
  actions: {
    "app/(admin)/admin/audit/actions.ts": ["signAuditCheckpointAction"],
    "app/(admin)/admin/tiers/actions.ts": ["runTierProbesAction"],
    "app/(user)/access/actions.ts": ["checkGrantAction", "revokeAllGrantsAction", "revokeGrantAction"],
    "app/(user)/grants/new/actions.ts": ["pollAppPasswordAction", "startAppPasswordAction", "startGrantAction"],
    "app/(user)/tasks/actions.ts": ["changeTaskAction", "enableTaskAction", "searchNotesAction"],
  } as Record<string, string[]>,
};
