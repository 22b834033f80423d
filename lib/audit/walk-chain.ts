import type { TAuditDb } from "./audit-pool";
import { createChainWalker, type TWalkCheckpoint, type TWalkStart } from "./chain-walker";
import { readChainRows } from "./read-chain-rows";

/**
 * Feeds the chain from `start` (default: the first row) through a walker checking links, hashes and the
 * given checkpoints, in batches with the next batch read while the current one is hashed. Stops at the
 * first finding. Constant memory at any table size.
 */
export async function walkChain(db: TAuditDb, batchSize: number, checkpoints: TWalkCheckpoint[], start?: TWalkStart) {
  const walker = createChainWalker(checkpoints, start);
  let batch = readChainRows(db, start?.lastSeq ?? null, batchSize);
  for (;;) {
    const rows = await batch;
    if (rows.length === batchSize) {
      batch = readChainRows(db, rows[rows.length - 1]!.seq, batchSize);
      batch.catch(() => undefined);
    }
    for (const row of rows) {
      const finding = walker.push(row);
      if (finding) return { finding, state: walker.state() };
    }
    if (rows.length < batchSize) break;
  }
  return { finding: walker.finish(), state: walker.state() };
}

