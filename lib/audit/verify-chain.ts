import "server-only";
import type { AuditEvent } from "@prisma/client";
import { db } from "../db";
import { GENESIS_HASH, hashEvent } from "./canonical-event";

export type TChainVerification = {
  ok: boolean;
  /** Rows whose links and hashes were checked (up to and including the first broken one). */
  checked: number;
  lastSeq?: string;
  firstBrokenSeq?: string;
  reason?: string;
};

export type TVerifyChainOptions = { batchSize?: number };

/**
 * Walks the whole audit chain in seq order, in batches (constant memory at any size), and reports the
 * first row whose stored hash does not match its content, whose prevHash does not name the row before
 * it, or whose time goes backwards. Any edit made behind the application's back shows up at that row.
 */
export async function verifyAuditChain(options: TVerifyChainOptions = {}): Promise<TChainVerification> {
  const batchSize = options.batchSize ?? 2_000;
  let prevHash = GENESIS_HASH;
  let prevAt: Date | null = null;
  let afterSeq: bigint | null = null;
  let checked = 0;

  for (;;) {
    const rows: AuditEvent[] = await db().auditEvent.findMany({
      where: afterSeq === null ? {} : { seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) {
      checked += 1;
      const broken = (reason: string): TChainVerification => ({
        ok: false,
        checked,
        firstBrokenSeq: row.seq.toString(),
        reason,
      });
      if (row.prevHash !== prevHash) {
        return broken(`prevHash does not match the hash of the row before it (a row was removed, inserted or altered)`);
      }
      if (hashEvent(row) !== row.hash) return broken("stored hash does not match the row's content (the row was altered)");
      if (prevAt && row.at < prevAt) return broken("time goes backwards along the chain");
      prevHash = row.hash;
      prevAt = row.at;
      afterSeq = row.seq;
    }
    if (rows.length < batchSize) break;
  }
  return { ok: true, checked, ...(afterSeq === null ? {} : { lastSeq: afterSeq.toString() }) };
}
