import pg from "pg";
import type { TChainedContent } from "./canonical-event";
import type { TAuditDb } from "./audit-pool";

/** A stored row with everything its hash covers; `at` as the exact ISO string the hash was made from. */
export type TChainRow = Omit<TChainedContent, "at"> & { at: string; hash: string };

const TIMESTAMP_OID = 1114;
const keepText = (value: string) => value;
// Timestamps stay text (no Date per row); every other type is decoded as usual (jsonb → JSON.parse).
const TYPES = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID ? keepText : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format),
};

// A UTC timestamp arrives as 2026-12-01 10:00:00.12 (trailing zeros of the fraction dropped): put it in
// Date#toISOString's exact form, which is what the hash covers. (The column keeps milliseconds only.)
function isoFromText(at: string): string {
  const t = at.replace(" ", "T");
  return t.length === 19 ? `${t}.000Z` : `${t.padEnd(23, "0")}Z`;
}

type TCell = string | null;
type TRaw = [string, string, string, string, TCell, unknown, string, TCell, string, TCell, TCell, string, TCell, unknown, string, string];

/**
 * One batch of the chain in seq order after `afterSeq` (null: from the start), with every column the
 * hash covers. Rows come as arrays with the time as text (no object or Date per column), which keeps a
 * million-row walk cheap for both PostgreSQL and Node.
 */
export async function readChainRows(db: TAuditDb, afterSeq: bigint | null, limit: number): Promise<TChainRow[]> {
  const { rows } = await db.query<TRaw>({
    text: `SELECT e.seq::text, e."at" AT TIME ZONE 'UTC', e.actor, e."actorType", e.subject, e."actChain", e.action,
                  e.resource, e.outcome, e."errorCode", e."taskId", e."correlationId", e.mechanism, e.details,
                  e."prevHash", e.hash
             FROM "AuditEvent" e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
    values: [(afterSeq ?? -1n).toString(), limit],
    rowMode: "array",
    types: TYPES,
  });
  return rows.map(
    ([
      seq,
      at,
      actor,
      actorType,
      subject,
      actChain,
      action,
      resource,
      outcome,
      errorCode,
      taskId,
      correlationId,
      mechanism,
      details,
      prevHash,
      hash,
    ]) => ({
      seq: BigInt(seq),
      at: isoFromText(at),
      actor,
      actorType,
      subject,
      actChain,
      action,
      resource,
      outcome,
      errorCode,
      taskId,
      correlationId,
      mechanism,
      details,
      prevHash,
      hash,
    }),
  );
}
