import "server-only";
import { auditConfig, type TCheckpointKey } from "./audit-config";
import { auditPool, type TAuditDb } from "./audit-pool";
import { checkCheckpoint, checkpointDigest, type TCheckpoint } from "./checkpoint";
import { fileCheckpointStore, type TCheckpointStore } from "./checkpoint-store";
import type { TChainFinding, TWalkCheckpoint } from "./chain-walker";
import { walkChain, type TWalkOptions } from "./walk-chain";

/** The newest checkpoint a verification was measured against, as the page and the API show it. */
export type TCheckpointSummary = { count: string; headSeq: string; headHash: string; at: string; kid: string; ageSeconds: number };

export type TChainVerification = {
  ok: boolean;
  /** full: every row from the first; incremental: the newest checkpoint's head, then only newer rows. */
  mode: "full" | "incremental";
  /** Rows whose links and hashes were checked in this run. */
  checked: number;
  /** Rows in the chain as verified (up to the first problem). */
  rows: string;
  lastSeq?: string;
  firstBrokenSeq?: string;
  reason?: string;
  kind?: TChainFinding["kind"] | "checkpoint-invalid";
  gap?: TChainFinding["gap"];
  /** The newest valid checkpoint, or null when there is none (then tail deletion cannot be detected). */
  checkpoint: TCheckpointSummary | null;
  /** Why there is no usable checkpoint, or what is wrong with the store (a forged or unreadable entry). */
  checkpointProblem?: string;
  checkpointsChecked: number;
  ms: number;
};

export type TVerifyChainOptions = {
  mode?: "full" | "incremental";
  /** Hashing threads and block size of the walk (see walkChain); by default chosen from the trail's size. */
  walk?: TWalkOptions;
  db?: TAuditDb;
  store?: TCheckpointStore;
  keys?: TCheckpointKey[];
  /** More checkpoints to check against (a witness's saved copy): each must carry a valid signature. */
  witnesses?: unknown[];
  now?: Date;
};

const toWalk = (cp: TCheckpoint): TWalkCheckpoint => ({
  count: BigInt(cp.count),
  headSeq: BigInt(cp.headSeq),
  headHash: cp.headHash,
  at: cp.at,
});

function summary(cp: TCheckpoint | null, now: Date): TCheckpointSummary | null {
  if (!cp) return null;
  const ageSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(cp.at)) / 1000));
  return { count: cp.count, headSeq: cp.headSeq, headHash: cp.headHash, at: cp.at, kid: cp.kid, ageSeconds };
}

function newestOf(cps: TCheckpoint[]): TCheckpoint | null {
  let best: TCheckpoint | null = null;
  for (const cp of cps) {
    if (!best || BigInt(cp.count) > BigInt(best.count) || (cp.count === best.count && cp.at > best.at)) best = cp;
  }
  return best;
}

/** Loads and checks every stored checkpoint; forged or unreadable entries and breaks in `prev` are problems. */
async function loadCheckpoints(store: TCheckpointStore, keys: TCheckpointKey[]) {
  const valid: TCheckpoint[] = [];
  const problems: string[] = [];
  let prev: TCheckpoint | null = null;
  for (const entry of await store.list()) {
    const check = checkCheckpoint(entry, keys);
    if (!check.ok) {
      problems.push(`a stored checkpoint is invalid: ${check.reason}`);
      continue;
    }
    if (prev && check.checkpoint.prev !== checkpointDigest(prev)) {
      problems.push(
        `the checkpoint of ${check.checkpoint.at} does not chain to the one before it (${prev.at}): a checkpoint was removed or replaced`,
      );
    }
    valid.push(check.checkpoint);
    prev = check.checkpoint;
  }
  return { valid, problems };
}

/**
 * Verifies the audit trail against its signed checkpoints. Full mode walks every row (constant memory,
 * one COPY stream, content hashed on worker threads) and checks each stored checkpoint as the walk passes
 * it, so an altered or removed row is named exactly, and a tail deletion, an edit-and-rehash, a forked
 * or a replaced history are caught against the checkpoints (they are signed outside the database).
 * Incremental mode checks that the newest checkpoint's head row is still there with the signed hash,
 * then walks only the rows after it; on any disagreement it falls back to a full walk to name the first
 * row. (An old row edited in place without fixing hashes is found by the full walk only.) Without any checkpoint only the chain itself can be checked, and the result says so.
 */
export async function verifyAuditChain(options: TVerifyChainOptions = {}): Promise<TChainVerification> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const db = options.db ?? auditPool();
  const config = options.store && options.keys ? null : auditConfig();
  const keys = options.keys ?? config!.verifyKeys;
  const store = options.store ?? fileCheckpointStore(config!.dir);

  const witnesses: TCheckpoint[] = [];
  const problems: string[] = [];
  for (const w of options.witnesses ?? []) {
    const check = checkCheckpoint(w, keys);
    if (check.ok) witnesses.push(check.checkpoint);
    else problems.push(`the witness checkpoint is invalid: ${check.reason}`);
  }
  if (keys.length === 0)
    problems.push(
      "no checkpoint key is configured (AUDIT_CHECKPOINT_KEYS or AUDIT_CHECKPOINT_PUBLIC_KEYS): tail deletion and rehashing cannot be detected",
    );

  if ((options.mode ?? "full") === "incremental" && witnesses.length === 0 && problems.length === 0) {
    const latest = await store.latest();
    const check = latest ? checkCheckpoint(latest, keys) : null;
    if (check?.ok) {
      const cp = check.checkpoint;
      // The head row the checkpoint signed must still be there with the same hash (one index lookup). That
      // hash commits to every earlier row as signed; that their stored hashes still match their content is
      // what the full walk checks.
      const { rows } = await db.query<{ hash: string; at: string }>(
        `SELECT hash, to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at" FROM "AuditEvent" WHERE seq = $1`,
        [cp.headSeq],
      );
      const anchor = rows[0];
      if (anchor && anchor.hash === cp.headHash) {
        const start = { prevHash: cp.headHash, prevAt: anchor.at, count: BigInt(cp.count), lastSeq: BigInt(cp.headSeq) };
        const { finding, state } = await walkChain(db, [], start, options.walk);
        return result("incremental", finding, state, summary(cp, now), undefined, 1, started);
      }
    } else if (!latest && BigInt((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`)).rows[0]!.n) > 0n) {
      problems.push("no checkpoint has been signed yet");
    }
  }

  const loaded = await loadCheckpoints(store, keys);
  problems.push(...loaded.problems);
  const all = [...loaded.valid, ...witnesses];
  const { finding, state } = await walkChain(db, all.map(toWalk), undefined, options.walk);
  const newest = newestOf(loaded.valid.length ? loaded.valid : witnesses);
  if (!finding && loaded.problems.length) {
    return {
      ...result("full", null, state, summary(newest, now), problems.join("; "), all.length, started),
      ok: false,
      kind: "checkpoint-invalid",
      reason: loaded.problems[0],
    };
  }
  return result("full", finding, state, summary(newest, now), problems.length ? problems.join("; ") : undefined, all.length, started);
}

function result(
  mode: TChainVerification["mode"],
  finding: TChainFinding | null,
  state: { count: bigint; lastSeq: bigint | null; checked: number },
  checkpoint: TCheckpointSummary | null,
  checkpointProblem: string | undefined,
  checkpointsChecked: number,
  started: number,
): TChainVerification {
  return {
    ok: finding === null,
    mode,
    checked: state.checked,
    rows: state.count.toString(),
    ...(state.lastSeq === null ? {} : { lastSeq: state.lastSeq.toString() }),
    ...(finding
      ? { firstBrokenSeq: finding.firstBrokenSeq, reason: finding.reason, kind: finding.kind, ...(finding.gap ? { gap: finding.gap } : {}) }
      : {}),
    checkpoint,
    ...(checkpointProblem ? { checkpointProblem } : {}),
    checkpointsChecked,
    ms: Date.now() - started,
  };
}
