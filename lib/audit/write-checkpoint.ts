import "server-only";
import { auditConfig, type TCheckpointKey } from "./audit-config";
import { auditPool } from "./audit-pool";
import type pg from "pg";
import { GENESIS_HASH } from "./canonical-event";
import { checkCheckpoint, checkpointDigest, signCheckpoint, type TCheckpoint } from "./checkpoint";
import { fileCheckpointStore, type TCheckpointStore } from "./checkpoint-store";
import { walkChain } from "./walk-chain";
import { log } from "../logger";

/** Transaction-scoped advisory lock id ("NCDDCKPT"): one signer at a time, across processes. */
const CHECKPOINT_LOCK_ID = 0x4e4344444350_4b54n;

export type TWriteCheckpointResult =
  | { status: "signed"; checkpoint: TCheckpoint; ms: number }
  | { status: "unchanged"; checkpoint: TCheckpoint | null; ms: number }
  | { status: "no-key"; checkpoint: null; ms: number }
  | { status: "refused"; reason: string; checkpoint: TCheckpoint | null; ms: number };

export type TWriteCheckpointOptions = {
  pool?: pg.Pool;
  store?: TCheckpointStore;
  signingKey?: TCheckpointKey | null;
  verifyKeys?: TCheckpointKey[];
  now?: () => Date;
};

/**
 * Signs a checkpoint of the audit trail's current head (row count, head seq and hash, time, key id,
 * digest of the previous checkpoint) and appends it to the checkpoint store, when rows were added since
 * the newest one. It never signs a history that does not extend the previous checkpoint: first it checks
 * that checkpoint's head row is still there with the same hash, then walks every newer row's link and
 * hash; on any disagreement it refuses, logs an error and signs nothing (so a rewrite cannot be
 * laundered into a fresh checkpoint). Cost grows with the rows added since the last checkpoint only.
 */
export async function writeAuditCheckpoint(options: TWriteCheckpointOptions = {}): Promise<TWriteCheckpointResult> {
  const started = Date.now();
  const ms = () => Date.now() - started;
  const config = options.store && options.signingKey !== undefined && options.verifyKeys ? null : auditConfig();
  const signingKey = options.signingKey !== undefined ? options.signingKey : config!.signingKey;
  const verifyKeys = options.verifyKeys ?? config!.verifyKeys;
  const store = options.store ?? fileCheckpointStore(config!.dir);
  if (!signingKey) return { status: "no-key", checkpoint: null, ms: ms() };

  const client = await (options.pool ?? auditPool()).connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [CHECKPOINT_LOCK_ID.toString()]);
    const latestRaw = await store.latest();
    let latest: TCheckpoint | null = null;
    if (latestRaw) {
      const check = checkCheckpoint(latestRaw, verifyKeys);
      if (!check.ok) return refuse(`the newest stored checkpoint is invalid: ${check.reason}`, null);
      latest = check.checkpoint;
      const head = await client.query<{ hash: string; at: Date }>(`SELECT hash, "at" FROM "AuditEvent" WHERE seq = $1`, [latest.headSeq]);
      if (head.rows[0]?.hash !== latest.headHash) {
        return refuse(
          `the row seq ${latest.headSeq} that the newest checkpoint ends at is ${head.rows[0] ? "different" : "gone"}: the trail no longer extends it`,
          latest,
        );
      }
    }
    const { finding, state } = await walkChain(
      client,
      [],
      latest
        ? { prevHash: latest.headHash, prevAt: null, count: BigInt(latest.count), lastSeq: BigInt(latest.headSeq) }
        : { prevHash: GENESIS_HASH, prevAt: null, count: 0n, lastSeq: null },
    );
    if (finding) return refuse(`row seq ${finding.firstBrokenSeq}: ${finding.reason}`, latest);
    if (state.lastSeq === null || (latest && state.checked === 0)) {
      await client.query("COMMIT");
      return { status: "unchanged", checkpoint: latest, ms: ms() };
    }
    const at = (options.now ?? (() => new Date()))();
    const checkpoint = signCheckpoint(
      {
        count: state.count.toString(),
        headSeq: state.lastSeq.toString(),
        headHash: state.prevHash,
        at: (latest && at.toISOString() <= latest.at ? new Date(Date.parse(latest.at) + 1) : at).toISOString(),
        prev: latest ? checkpointDigest(latest) : null,
      },
      signingKey,
    );
    await store.append(checkpoint);
    await client.query("COMMIT");
    return { status: "signed", checkpoint, ms: ms() };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }

  async function refuse(reason: string, latest: TCheckpoint | null): Promise<TWriteCheckpointResult> {
    await client.query("ROLLBACK").catch(() => undefined);
    log.error("audit checkpoint refused: the audit trail does not extend the last signed checkpoint", { reason, store: store.description });
    return { status: "refused", reason, checkpoint: latest, ms: ms() };
  }
}
