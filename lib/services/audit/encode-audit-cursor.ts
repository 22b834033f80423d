import { AppError } from "../../errors";

const PREFIX = "ae1:";
// seq is a PostgreSQL bigint: anything above this cannot name a row, and would fail inside the query.
const MAX_SEQ = 9_223_372_036_854_775_807n;

/** An opaque page token for "rows older than this seq"; callers must not build or parse it themselves. */
export function encodeAuditCursor(seq: bigint): string {
  return Buffer.from(`${PREFIX}${seq.toString()}`, "utf8").toString("base64url");
}

/** The seq inside a token from encodeAuditCursor, or null for anything else (malformed, zero, beyond int64). */
export function readAuditCursor(cursor: unknown): bigint | null {
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  // Round trip: a token is exactly what encodeAuditCursor writes, no padding, no trailing bits.
  if (Buffer.from(raw, "utf8").toString("base64url") !== cursor) return null;
  const digits = raw.startsWith(PREFIX) ? raw.slice(PREFIX.length) : "";
  if (!/^[1-9][0-9]{0,18}$/.test(digits)) return null;
  const seq = BigInt(digits);
  return seq <= MAX_SEQ ? seq : null;
}

/** Reads a page token back; anything not produced by encodeAuditCursor is BadInput naming the cursor. */
export function decodeAuditCursor(cursor: string): bigint {
  const seq = readAuditCursor(cursor);
  if (seq === null) {
    throw new AppError("BadInput", "Invalid audit query: cursor: cursor is not a valid page token", {
      field: "cursor",
      problems: ["cursor: cursor is not a valid page token"],
    });
  }
  return seq;
}
