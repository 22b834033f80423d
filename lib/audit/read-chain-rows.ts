import type { TChainedContent } from "./canonical-event";
import type { TAuditDb } from "./audit-pool";

/** A stored row with everything its hash covers; `at` as the exact ISO string the hash was made from. */
export type TChainRow = Omit<TChainedContent, "at"> & { at: string; hash: string };

/**
 * One batch of the chain in seq order after `afterSeq` (null: from the start), with every column the
 * hash covers. PostgreSQL builds the batch as one JSON document (time already in ISO-8601 UTC with
 * milliseconds, exactly as Date#toISOString writes it), which one native JSON.parse reads: several
 * times cheaper per row than decoding sixteen columns one by one, which matters for million-row walks.
 */
export async function readChainRows(db: TAuditDb, afterSeq: bigint | null, limit: number): Promise<TChainRow[]> {
  const { rows } = await db.query<{ j: string }>(
    `SELECT coalesce(json_agg(json_build_object(
              'seq', e.seq::text, 'at', to_char(e."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'actor', e.actor, 'actorType', e."actorType", 'subject', e.subject, 'actChain', e."actChain",
              'action', e.action, 'resource', e.resource, 'outcome', e.outcome, 'errorCode', e."errorCode",
              'taskId', e."taskId", 'correlationId', e."correlationId", 'mechanism', e.mechanism,
              'details', e.details, 'prevHash', e."prevHash", 'hash', e.hash) ORDER BY e.seq), '[]')::text AS j
       FROM (SELECT * FROM "AuditEvent" WHERE seq > $1 ORDER BY seq LIMIT $2) e`,
    [(afterSeq ?? -1n).toString(), limit],
  );
  const parsed = JSON.parse(rows[0]!.j) as (Omit<TChainRow, "seq"> & { seq: string })[];
  return parsed.map((r) => ({ ...r, seq: BigInt(r.seq) }));
}
