import { AppError } from "../../errors";

const PREFIX = "ae1:";

/** An opaque page token for "rows older than this seq"; callers must not build or parse it themselves. */
export function encodeAuditCursor(seq: bigint): string {
  return Buffer.from(`${PREFIX}${seq.toString()}`, "utf8").toString("base64url");
}

/** Reads a page token back; anything not produced by encodeAuditCursor is BadInput. */
export function decodeAuditCursor(cursor: string): bigint {
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  const digits = raw.startsWith(PREFIX) ? raw.slice(PREFIX.length) : "";
  if (!/^[0-9]{1,19}$/.test(digits)) throw new AppError("BadInput", "Invalid audit query: cursor is not a valid page token");
  return BigInt(digits);
}
