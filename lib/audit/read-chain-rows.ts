import type { TChainedContent } from "./canonical-event";
import type { TAuditDb } from "./audit-pool";

export type TChainRow = TChainedContent & { hash: string };

type TRaw = Omit<TChainRow, "seq"> & { seq: string };

/**
 * One batch of the chain in seq order after `afterSeq` (null: from the start), with every column the
 * hash covers, in exactly the shape canonicalizeEvent expects (seq as bigint, time as Date).
 */
export async function readChainRows(db: TAuditDb, afterSeq: bigint | null, limit: number): Promise<TChainRow[]> {
  const { rows } = await db.query<TRaw>(
    `SELECT seq::text AS seq, "at", actor, "actorType", subject, "actChain", action, resource, outcome, "errorCode",
            "taskId", "correlationId", mechanism, details, "prevHash", hash
       FROM "AuditEvent" e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
    [(afterSeq ?? -1n).toString(), limit],
  );
  return rows.map((r) => ({ ...r, seq: BigInt(r.seq) }));
}
