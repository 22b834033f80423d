import "server-only";
import type { TCheckpointKey } from "./audit-config";
import { auditPool, type TAuditDb } from "./audit-pool";
import { hashEvent } from "./canonical-event";
import { checkCheckpoint } from "./checkpoint";
import type { TCheckpointStore } from "./checkpoint-store";
import type { TWitnessFile } from "./parse-witness-file";
import { verifyAuditChain, type TChainVerification } from "./verify-chain";

export type TSeqRange = { from: string; to: string };

export type TWitnessVerification = {
  ok: boolean;
  kind: TWitnessFile["kind"];
  /** Why the witness's own checkpoint cannot be trusted (then only its rows are compared). */
  checkpointProblem?: string;
  /** The trail checked against the witness's checkpoint (and the stored ones). */
  chain: TChainVerification;
  rows: {
    inFile: number;
    found: number;
    /** Exported rows the trail no longer has, as ranges of seq. */
    missing: TSeqRange[];
    missingCount: number;
    /** Exported rows the trail still has, but with another hash (changed since the export). */
    changed: string[];
    /** Rows whose content in the file does not match their own hash (the file was edited; JSON only). */
    alteredInFile: string[];
  };
  /** One plain sentence for people: what holds, or what is missing or changed. */
  summary: string;
};

function ranges(seqs: bigint[]): TSeqRange[] {
  const sorted = [...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: TSeqRange[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && BigInt(last.to) + 1n === s) last.to = s.toString();
    else out.push({ from: s.toString(), to: s.toString() });
  }
  return out;
}

const describe = (r: TSeqRange[]) =>
  r
    .slice(0, 5)
    .map((x) => (x.from === x.to ? x.from : `${x.from}–${x.to}`))
    .join(", ") + (r.length > 5 ? ", …" : "");

/**
 * Checks a saved witness against the trail as it is now: the witness's checkpoint must carry a valid
 * signature, and the trail must still extend it (same row count and head hash, every row intact), and
 * every row the witness holds must still be in the trail with the same hash. Reports exactly which
 * exported rows are missing or changed, and which the file itself altered.
 */
export async function verifyWitness(
  file: TWitnessFile,
  options: { db?: TAuditDb; store?: TCheckpointStore; keys?: TCheckpointKey[] } = {},
): Promise<TWitnessVerification> {
  const db = options.db ?? auditPool();
  const keysFor = options.keys;
  let checkpointProblem: string | undefined;
  if (file.checkpoint === null)
    checkpointProblem = "the file carries no checkpoint (exported before checkpoints existed, or without a signing key)";
  else if (keysFor) {
    const c = checkCheckpoint(file.checkpoint, keysFor);
    if (!c.ok) checkpointProblem = c.reason;
  }
  const chain = await verifyAuditChain({ ...options, db, witnesses: file.checkpoint === null ? [] : [file.checkpoint] });
  if (!checkpointProblem && chain.checkpointProblem?.startsWith("the witness checkpoint is invalid"))
    checkpointProblem = chain.checkpointProblem;

  const alteredInFile = file.rows.filter((r) => r.content && hashEvent(r.content) !== r.hash).map((r) => r.seq.toString());
  const missing: bigint[] = [];
  const changed: string[] = [];
  for (let i = 0; i < file.rows.length; i += 5_000) {
    const batch = file.rows.slice(i, i + 5_000);
    const { rows } = await db.query<{ seq: string; hash: string }>(
      `SELECT e.seq::text AS seq, e.hash FROM "AuditEvent" e WHERE e.seq = ANY($1::bigint[])`,
      [batch.map((r) => r.seq.toString())],
    );
    const stored = new Map(rows.map((r) => [r.seq, r.hash]));
    for (const r of batch) {
      const hash = stored.get(r.seq.toString());
      if (hash === undefined) missing.push(r.seq);
      else if (hash !== r.hash) changed.push(r.seq.toString());
    }
  }
  const bySeq = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  changed.sort(bySeq);
  alteredInFile.sort(bySeq);
  const missingRanges = ranges(missing);
  const found = file.rows.length - missing.length;
  const ok = chain.ok && !checkpointProblem && missing.length === 0 && changed.length === 0 && alteredInFile.length === 0;

  const parts: string[] = [];
  if (missing.length)
    parts.push(
      `${missing.length} exported row${missing.length === 1 ? " is" : "s are"} missing from the trail: seq ${describe(missingRanges)}`,
    );
  if (changed.length)
    parts.push(
      `${changed.length} exported row${changed.length === 1 ? " was" : "s were"} changed since: seq ${changed.slice(0, 5).join(", ")}`,
    );
  if (alteredInFile.length) parts.push(`the file itself was edited at seq ${alteredInFile.slice(0, 5).join(", ")}`);
  if (checkpointProblem) parts.push(`its checkpoint cannot be trusted: ${checkpointProblem}`);
  if (!chain.ok) parts.push(`the trail fails verification at seq ${chain.firstBrokenSeq}: ${chain.reason}`);
  const cp = chain.checkpoint;
  const summary = ok
    ? `Verified: the trail still holds all ${file.rows.length} row${file.rows.length === 1 ? "" : "s"} of this file unchanged, and it extends the checkpoint it carries${cp ? ` (newest: ${cp.count} rows up to seq ${cp.headSeq}, signed ${cp.at})` : ""}.`
    : `NOT verified: ${parts.join("; ")}.`;
  return {
    ok,
    kind: file.kind,
    ...(checkpointProblem ? { checkpointProblem } : {}),
    chain,
    rows: { inFile: file.rows.length, found, missing: missingRanges, missingCount: missing.length, changed, alteredInFile },
    summary,
  };
}
