import { availableParallelism } from "node:os";
import type { Readable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { TAuditDb } from "./audit-pool";
import { CHAIN_COPY_SELECT } from "./chain-chunk.mjs";
import { createChainWalker, type TChainFinding, type TChainLink, type TWalkCheckpoint, type TWalkStart } from "./chain-walker";
import { createChainHasher } from "./create-chain-hasher";

export type TWalkOptions = {
  /** Worker threads that hash row content; 0 hashes on this thread. Default: several for a long walk from the first row. */
  threads?: number;
  /** Bytes of COPY output per block handed to a hasher (tests make it small to cross many block boundaries). */
  chunkBytes?: number;
};

const CHUNK_BYTES = 512 * 1024;
// A walk expected to be shorter than this hashes on this thread: starting workers costs more than it saves.
const THREADED_FROM_ROWS = 50_000;

// The walker's fields of each line: seq, at, prevHash, hash are the first four columns.
function parseLinks(text: string): { links: TChainLink[]; seqs: string[] } {
  const links: TChainLink[] = [];
  const seqs: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const t1 = text.indexOf("\t", pos);
    const t2 = text.indexOf("\t", t1 + 1);
    const t3 = text.indexOf("\t", t2 + 1);
    const t4 = text.indexOf("\t", t3 + 1);
    const seq = text.slice(pos, t1);
    seqs.push(seq);
    links.push({ seq: BigInt(seq), at: text.slice(t1 + 1, t2), prevHash: text.slice(t2 + 1, t3), hash: text.slice(t3 + 1, t4) });
    const nl = text.indexOf("\n", t4);
    pos = nl < 0 ? text.length : nl + 1;
  }
  return { links, seqs };
}

// A connection for the COPY: the caller's own client (its transaction included), or one from a pool,
// which is discarded rather than returned when the walk stops before the COPY ends.
async function copyConnection(db: TAuditDb): Promise<{ client: pg.ClientBase; owned: boolean; done(discard: boolean): void }> {
  if ("connection" in db || typeof (db as Partial<pg.Pool>).connect !== "function")
    return { client: db as pg.ClientBase, owned: false, done: () => undefined };
  const client = await (db as pg.Pool).connect();
  return { client, owned: true, done: (discard) => client.release(discard ? new Error("chain walk stopped early") : undefined) };
}

/**
 * Feeds the chain from `start` (default: the first row) through a walker checking links, hashes and the
 * given checkpoints. PostgreSQL streams the rows in one `COPY (...) TO STDOUT` (no per-row objects from
 * the driver); blocks of lines are hashed on worker threads while this thread checks links in order, and
 * the first finding in seq order is reported exactly as a single-threaded walk would. Stops at the first
 * finding. Constant memory at any table size (a few blocks in flight).
 */
export async function walkChain(db: TAuditDb, checkpoints: TWalkCheckpoint[], start?: TWalkStart, options: TWalkOptions = {}) {
  const walker = createChainWalker(checkpoints, start);
  const conn = await copyConnection(db);
  let threads = options.threads;
  if (threads === undefined) {
    const fromStart = (start?.lastSeq ?? null) === null;
    const estimate = fromStart
      ? Number(
          (await conn.client.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = '"AuditEvent"'::regclass`))
            .rows[0]?.n ?? 0,
        )
      : 0;
    threads = estimate >= THREADED_FROM_ROWS ? Math.min(4, availableParallelism()) : 0;
  }
  const hasher = createChainHasher(threads);
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const after = (start?.lastSeq ?? -1n).toString();
  const stream = conn.client.query(
    copyTo(`COPY (SELECT ${CHAIN_COPY_SELECT} FROM "AuditEvent" e WHERE e.seq > ${after}::bigint ORDER BY e.seq) TO STDOUT`),
  ) as Readable;
  const inFlight: { links: TChainLink[]; seqs: string[]; altered: Promise<string | null> }[] = [];
  const depth = Math.max(2, hasher.threads * 2);
  let finding: TChainFinding | null = null;
  let ended = false;

  const send = (text: string) => {
    const altered = hasher.check(text);
    altered.catch(() => undefined);
    inFlight.push({ ...parseLinks(text), altered });
  };
  // Walks finished blocks in order until at most `keep` are in flight.
  const drain = async (keep: number): Promise<TChainFinding | null> => {
    while (inFlight.length > keep) {
      const { links, seqs, altered } = inFlight.shift()!;
      const bad = await altered;
      for (let i = 0; i < links.length; i += 1) {
        const f = walker.push(links[i]!, bad !== null && seqs[i] === bad);
        if (f) return f;
      }
    }
    return null;
  };

  // Read by hand, not with for-await: leaving a for-await loop would destroy the stream mid-COPY.
  const rows = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    let parts: Buffer[] = [];
    let size = 0;
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      const buf = next.value;
      parts.push(buf);
      size += buf.length;
      if (size < chunkBytes) continue;
      const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
      const cut = whole.lastIndexOf(10) + 1;
      if (cut > 0) send(whole.toString("utf8", 0, cut));
      parts = cut < whole.length ? [whole.subarray(cut)] : [];
      size = whole.length - cut;
      finding = await drain(depth);
      if (finding) break;
    }
    if (!finding) {
      ended = true;
      if (size > 0) send(Buffer.concat(parts, size).toString("utf8"));
      finding = await drain(0);
    }
  } catch (error) {
    hasher.close();
    conn.done(true);
    throw error;
  }
  hasher.close();
  if (!ended) {
    // Stopped at a finding before the COPY ended: a pooled connection is dropped (which ends the COPY on
    // the server); the caller's own connection must stay usable, so the rest is read and thrown away.
    if (conn.owned) stream.destroy();
    else while (!(await rows.next()).done);
  }
  conn.done(!ended);
  return { finding: finding ?? walker.finish(), state: walker.state() };
}
