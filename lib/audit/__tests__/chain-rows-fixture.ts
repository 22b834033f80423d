import { GENESIS_HASH, hashEvent } from "../canonical-event";
import type { TChainRow } from "../read-chain-rows";

/** A consistent chain of `n` rows built in memory, one second apart from 2026-12-01T10:00:00Z. */
export function chain(n: number, firstSeq = 1n): TChainRow[] {
  const rows: TChainRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < n; i += 1) {
    const seq = firstSeq + BigInt(i);
    const content = {
      seq,
      at: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
      actor: "nextcloud-mcp-server",
      actorType: "client" as const,
      subject: "user-1",
      actChain: null,
      action: "nextcloud.request",
      resource: `/r/${i}`,
      outcome: "success" as const,
      errorCode: null,
      taskId: null,
      correlationId: `c-${i}`,
      mechanism: "offline-refresh",
      details: { i },
      prevHash,
    };
    const hash = hashEvent(content);
    rows.push({ ...content, hash });
    prevHash = hash;
  }
  return rows;
}

/** Re-hashes rows from index `from` on, so links and hashes are consistent again after an edit. */
export function rehashFrom(rows: TChainRow[], from: number): TChainRow[] {
  const out = rows.map((r) => ({ ...r }));
  for (let i = from; i < out.length; i += 1) {
    out[i]!.prevHash = i === 0 ? GENESIS_HASH : out[i - 1]!.hash;
    out[i]!.hash = hashEvent(out[i]!);
  }
  return out;
}
