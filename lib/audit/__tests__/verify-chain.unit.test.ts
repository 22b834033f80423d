import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditConfig, type TCheckpointKey } from "../audit-config";
import type { TAuditDb } from "../audit-pool";
import { checkpointDigest, signCheckpoint, type TCheckpoint } from "../checkpoint";
import { fileCheckpointStore, type TCheckpointStore } from "../checkpoint-store";
import type { TChainRow } from "../read-chain-rows";
import { verifyAuditChain } from "../verify-chain";
import { walkChain } from "../walk-chain";
import { chain, rehashFrom } from "./chain-rows-fixture";

/**
 * verifyAuditChain's own decisions, on rows and checkpoints held in memory: which checkpoints count, how a
 * broken checkpoint chain or a bad witness is reported, when incremental mode may skip rows and when it
 * must fall back to a full walk, and what the result says. The COPY walk is replaced by the same walker
 * over the in-memory rows; walk-chain.test.ts, audit-chain.test.ts and checkpoint-verify.test.ts prove
 * the real walk against rows stored and tampered with in PostgreSQL.
 */
type TFakeDb = { rows: TChainRow[]; query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> };

const defaultDb = vi.hoisted(() => ({ current: null as unknown }));
vi.mock("../audit-pool", () => ({ auditPool: () => defaultDb.current }));
vi.mock("../walk-chain", async () => {
  const { createChainWalker } = await import("../chain-walker");
  const { hashEvent } = await import("../canonical-event");
  return {
    walkChain: vi.fn(
      (db: TFakeDb, checkpoints: Parameters<typeof createChainWalker>[0], start?: Parameters<typeof createChainWalker>[1]) => {
        const walker = createChainWalker(checkpoints, start);
        for (const row of db.rows) {
          if (start?.lastSeq != null && row.seq <= start.lastSeq) continue;
          const finding = walker.push(row, hashEvent(row) !== row.hash);
          if (finding) return Promise.resolve({ finding, state: walker.state() });
        }
        return Promise.resolve({ finding: walker.finish(), state: walker.state() });
      },
    ),
  };
});

function fakeDb(rows: TChainRow[]): TFakeDb & TAuditDb {
  const fake: TFakeDb = {
    rows,
    query(sql, params) {
      if (sql.includes("WHERE seq = $1")) {
        const row = rows.find((r) => r.seq === BigInt(params![0] as string));
        return Promise.resolve({ rows: row ? [{ hash: row.hash, at: row.at }] : [] });
      }
      if (sql.includes("count(*)")) return Promise.resolve({ rows: [{ n: String(rows.length) }] });
      throw new Error(`unexpected query: ${sql}`);
    },
  };
  return fake as TFakeDb & TAuditDb;
}

function memoryStore(entries: unknown[]): TCheckpointStore {
  return {
    description: "memory",
    append: () => Promise.reject(new Error("verification never writes a checkpoint")),
    latest: () => Promise.resolve(entries.length ? entries[entries.length - 1] : null),
    list: () => Promise.resolve([...entries]),
  };
}

const config = auditConfig();
const key = config.signingKey!;
const keys = config.verifyKeys;
const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 11, 0, second)).toISOString();

/** Checkpoints over the rows at the given indexes, each chained to the one before (as the writer signs them). */
function signedOver(rows: TChainRow[], indexes: number[], signer: TCheckpointKey = key): TCheckpoint[] {
  const out: TCheckpoint[] = [];
  for (const [n, i] of indexes.entries()) {
    const prev = out[out.length - 1];
    out.push(
      signCheckpoint(
        {
          count: String(i + 1),
          headSeq: rows[i]!.seq.toString(),
          headHash: rows[i]!.hash,
          at: at(n),
          prev: prev ? checkpointDigest(prev) : null,
        },
        signer,
      ),
    );
  }
  return out;
}

const one = (rows: TChainRow[], i: number, second: number) =>
  signCheckpoint({ count: String(i + 1), headSeq: rows[i]!.seq.toString(), headHash: rows[i]!.hash, at: at(second), prev: null }, key);

const summaryOf = (cp: TCheckpoint, ageSeconds: number) => ({
  count: cp.count,
  headSeq: cp.headSeq,
  headHash: cp.headHash,
  at: cp.at,
  kid: cp.kid,
  ageSeconds,
});

afterEach(() => {
  vi.mocked(walkChain).mockClear();
  vi.unstubAllEnvs();
});

describe("a full walk", () => {
  it("of an intact trail against its chained checkpoints says so, and names the newest with its age", async () => {
    const rows = chain(6);
    const cps = signedOver(rows, [1, 3, 5]);
    const now = new Date(Date.parse(cps[2]!.at) + 90_000);
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore(cps), keys, now });
    expect(result).toStrictEqual({
      ok: true,
      mode: "full",
      checked: 6,
      rows: "6",
      lastSeq: "6",
      checkpoint: summaryOf(cps[2]!, 90),
      checkpointsChecked: 3,
      ms: expect.any(Number) as number,
    });
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(result.ms).toBeLessThan(10_000);
  });

  it("passes the walk options through and starts from the first row", async () => {
    const rows = chain(3);
    const walk = { threads: 0, chunkBytes: 64 };
    await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([]), keys, walk });
    expect(vi.mocked(walkChain)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(walkChain).mock.calls[0]!.slice(1)).toEqual([[], undefined, walk]);
  });

  it("of an empty trail has no last row, and without a checkpoint raises no problem", async () => {
    const result = await verifyAuditChain({ db: fakeDb([]), store: memoryStore([]), keys });
    expect(result).toStrictEqual({
      ok: true,
      mode: "full",
      checked: 0,
      rows: "0",
      checkpoint: null,
      checkpointsChecked: 0,
      ms: expect.any(Number) as number,
    });
  });

  it("reports a chain finding at its row, with the gap when rows at the end were deleted", async () => {
    const rows = chain(6);
    const cps = signedOver(rows, [1, 5]);
    const result = await verifyAuditChain({ db: fakeDb(rows.slice(0, 4)), store: memoryStore(cps), keys, now: new Date(cps[1]!.at) });
    expect(result).toMatchObject({
      ok: false,
      mode: "full",
      kind: "missing-tail",
      firstBrokenSeq: "5",
      gap: { afterSeq: "4", missingRows: "2", throughSeq: "6", checkpointAt: cps[1]!.at },
      rows: "4",
      lastSeq: "4",
      checkpoint: summaryOf(cps[1]!, 0),
      checkpointsChecked: 2,
    });
    expect(result.reason).toContain("rows are missing at the end");
    expect(result.checkpointProblem).toBeUndefined();
  });

  it("reports an altered row without a gap", async () => {
    const rows = chain(4);
    rows[2] = { ...rows[2]!, outcome: "failure" };
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([]), keys });
    expect(result).toMatchObject({ ok: false, kind: "altered", firstBrokenSeq: "3", rows: "3", lastSeq: "2" });
    expect(result).not.toHaveProperty("gap");
    expect(result.reason).toContain("stored hash does not match");
  });
});

describe("the checkpoints of the store", () => {
  it("that do not chain (one removed or replaced) make the verification fail, naming both times", async () => {
    const rows = chain(6);
    const [a, , c] = signedOver(rows, [1, 3, 5]);
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([a, c]), keys, now: new Date(c!.at) });
    const why = `the checkpoint of ${c!.at} does not chain to the one before it (${a!.at}): a checkpoint was removed or replaced`;
    expect(result).toMatchObject({ ok: false, kind: "checkpoint-invalid", reason: why, checkpointProblem: why, checkpointsChecked: 2 });
    expect(result.checkpoint).toStrictEqual(summaryOf(c!, 0));
    // The rows themselves were walked to the end: the problem is the checkpoints', not a row's.
    expect(result).toMatchObject({ checked: 6, rows: "6", lastSeq: "6" });
    expect(result).not.toHaveProperty("firstBrokenSeq");
  });

  it("that chain from the first without a gap raise no problem, and the first may have no prev", async () => {
    const rows = chain(6);
    const cps = signedOver(rows, [0, 2, 4]);
    expect(cps[0]!.prev).toBeNull();
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore(cps), keys });
    expect(result.ok).toBe(true);
    expect(result.checkpointProblem).toBeUndefined();
  });

  it("that are forged or unreadable are problems; the valid ones are still checked and named", async () => {
    const rows = chain(6);
    const [a, b] = signedOver(rows, [1, 3]);
    const forged = { ...b!, count: "9" };
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([a, forged, { unreadable: "x.json" }]), keys });
    const first = `a stored checkpoint is invalid: signature does not verify with key "${key.kid}" (the checkpoint was altered or forged)`;
    expect(result).toMatchObject({
      ok: false,
      kind: "checkpoint-invalid",
      reason: first,
      checkpointProblem: `${first}; a stored checkpoint is invalid: not a well-formed audit checkpoint`,
      checkpointsChecked: 1,
    });
    expect(result.checkpoint?.headSeq).toBe(a!.headSeq);
  });

  it("are checked only with the configured keys: without any, every one is a problem and the result says why", async () => {
    const rows = chain(3);
    const cps = signedOver(rows, [2]);
    const none =
      "no checkpoint key is configured (AUDIT_CHECKPOINT_KEYS or AUDIT_CHECKPOINT_PUBLIC_KEYS): tail deletion and rehashing cannot be detected";
    const empty = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([]), keys: [] });
    expect(empty).toMatchObject({ ok: true, checkpointProblem: none, checkpoint: null });
    const stored = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore(cps), keys: [] });
    expect(stored).toMatchObject({ ok: false, kind: "checkpoint-invalid", checkpointsChecked: 0, checkpoint: null });
    expect(stored.reason).toContain(`signed with key "${key.kid}", which is not configured`);
    expect(stored.checkpointProblem).toBe(`${none}; ${stored.reason}`);
  });

  it("give way to a finding in the rows, whose reason is reported with the checkpoint problem beside it", async () => {
    const rows = chain(6);
    const [a, , c] = signedOver(rows, [1, 3, 5]);
    const altered = rows.map((r, i) => (i === 4 ? { ...r, resource: "/edited" } : r));
    const result = await verifyAuditChain({ db: fakeDb(altered), store: memoryStore([a, c]), keys });
    expect(result).toMatchObject({ ok: false, kind: "altered", firstBrokenSeq: "5" });
    expect(result.checkpointProblem).toContain("does not chain to the one before it");
  });
});

describe("which checkpoint the result names", () => {
  it("is the one with the most rows, then the latest, whatever order the witnesses come in", async () => {
    const rows = chain(6);
    const small = one(rows, 1, 30);
    const bigEarly = one(rows, 5, 10);
    const bigLate = one(rows, 5, 20);
    for (const witnesses of [
      [bigEarly, bigLate, small],
      [bigLate, bigEarly, small],
      [small, bigLate, bigEarly],
    ]) {
      const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([]), keys, witnesses, now: new Date(bigLate.at) });
      expect(result.checkpoint).toStrictEqual(summaryOf(bigLate, 0));
      expect(result.checkpointsChecked).toBe(3);
    }
  });

  it("is the newest stored one when the store has any: a witness is checked against the rows, not named", async () => {
    const rows = chain(6);
    const [stored] = signedOver(rows, [1]);
    const witness = one(rows, 5, 40);
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([stored]), keys, witnesses: [witness] });
    expect(result).toMatchObject({ ok: true, checkpointsChecked: 2 });
    expect(result.checkpoint?.headSeq).toBe("2");
  });

  it("has an age of whole seconds from now, and never a negative one", async () => {
    const rows = chain(2);
    const [cp] = signedOver(rows, [1]);
    const t = Date.parse(cp!.at);
    const age = async (now: number) =>
      (await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([cp]), keys, now: new Date(now) })).checkpoint?.ageSeconds;
    expect(await age(t + 1_400)).toBe(1);
    expect(await age(t + 1_600)).toBe(2);
    expect(await age(t - 5_000)).toBe(0);
  });

  it("is aged against the clock when no time is given", async () => {
    const rows = chain(2);
    const cp = signCheckpoint(
      { count: "2", headSeq: "2", headHash: rows[1]!.hash, at: new Date(Date.now() - 30_000).toISOString(), prev: null },
      key,
    );
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([cp]), keys });
    expect(result.checkpoint!.ageSeconds).toBeGreaterThanOrEqual(29);
    expect(result.checkpoint!.ageSeconds).toBeLessThan(60);
  });
});

describe("witnesses (an outside copy of a checkpoint)", () => {
  it("that do not verify are reported, and the rows are still walked", async () => {
    const rows = chain(3);
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore([]), keys, witnesses: [{ type: "nonsense" }] });
    expect(result).toMatchObject({
      ok: true,
      mode: "full",
      rows: "3",
      checkpointsChecked: 0,
      checkpointProblem: "the witness checkpoint is invalid: not a well-formed audit checkpoint",
    });
  });

  it("that do not verify, without any key configured, are both reported, one after the other", async () => {
    const result = await verifyAuditChain({ db: fakeDb(chain(2)), store: memoryStore([]), keys: [], witnesses: [{}] });
    expect(result).toMatchObject({ ok: true, mode: "full", checked: 2 });
    expect(result.checkpointProblem).toBe(
      "the witness checkpoint is invalid: not a well-formed audit checkpoint; no checkpoint key is configured (AUDIT_CHECKPOINT_KEYS or AUDIT_CHECKPOINT_PUBLIC_KEYS): tail deletion and rehashing cannot be detected",
    );
  });

  it("that cover rows the table no longer has find the deletion", async () => {
    const rows = chain(6);
    const witness = one(rows, 5, 0);
    const result = await verifyAuditChain({ db: fakeDb(rows.slice(0, 5)), store: memoryStore([]), keys, witnesses: [witness] });
    expect(result).toMatchObject({
      ok: false,
      kind: "missing-tail",
      firstBrokenSeq: "6",
      checkpoint: summaryOf(witness, expect.any(Number)),
    });
  });
});

describe("incremental mode", () => {
  it("checks the newest checkpoint's head row, then walks only the rows after it", async () => {
    const rows = chain(6);
    const cps = signedOver(rows, [1, 3]);
    const walk = { threads: 0 };
    const result = await verifyAuditChain({
      mode: "incremental",
      db: fakeDb(rows),
      store: memoryStore(cps),
      keys,
      walk,
      now: new Date(cps[1]!.at),
    });
    expect(result).toStrictEqual({
      ok: true,
      mode: "incremental",
      checked: 2,
      rows: "6",
      lastSeq: "6",
      checkpoint: summaryOf(cps[1]!, 0),
      checkpointsChecked: 1,
      ms: expect.any(Number) as number,
    });
    expect(vi.mocked(walkChain).mock.calls[0]!.slice(1)).toEqual([
      [],
      { prevHash: rows[3]!.hash, prevAt: rows[3]!.at, count: 4n, lastSeq: 4n },
      walk,
    ]);
  });

  it("finds a problem in the rows after the checkpoint", async () => {
    const rows = chain(6);
    const cps = signedOver(rows, [3]);
    rows[5] = { ...rows[5]!, actor: "someone-else" };
    const result = await verifyAuditChain({ mode: "incremental", db: fakeDb(rows), store: memoryStore(cps), keys });
    expect(result).toMatchObject({ ok: false, mode: "incremental", kind: "altered", firstBrokenSeq: "6", checked: 2 });
  });

  it("falls back to a full walk when the signed head row was rewritten, and names where", async () => {
    const rows = chain(6);
    const cps = signedOver(rows, [1, 3]);
    const rewritten = rehashFrom(
      rows.map((r, i) => (i === 2 ? { ...r, outcome: "failure" as const } : r)),
      2,
    );
    const result = await verifyAuditChain({ mode: "incremental", db: fakeDb(rewritten), store: memoryStore(cps), keys });
    expect(result).toMatchObject({ ok: false, mode: "full", kind: "rewritten", firstBrokenSeq: "3", checkpointsChecked: 2 });
    expect(vi.mocked(walkChain).mock.calls[0]![2]).toBeUndefined();
  });

  it("falls back to a full walk when the signed head row is gone", async () => {
    const rows = chain(6);
    const cps = signedOver(rows, [4]);
    const result = await verifyAuditChain({ mode: "incremental", db: fakeDb(rows.slice(0, 3)), store: memoryStore(cps), keys });
    expect(result).toMatchObject({ ok: false, mode: "full", kind: "missing-tail", firstBrokenSeq: "4" });
  });

  it("without any checkpoint walks everything and says none has been signed yet (only when there are rows)", async () => {
    const withRows = await verifyAuditChain({ mode: "incremental", db: fakeDb(chain(3)), store: memoryStore([]), keys });
    expect(withRows).toMatchObject({
      ok: true,
      mode: "full",
      checked: 3,
      checkpoint: null,
      checkpointProblem: "no checkpoint has been signed yet",
    });
    const empty = await verifyAuditChain({ mode: "incremental", db: fakeDb([]), store: memoryStore([]), keys });
    expect(empty).toMatchObject({ ok: true, mode: "full", checked: 0 });
    expect(empty.checkpointProblem).toBeUndefined();
  });

  it("with a forged newest checkpoint walks everything and reports the forgery", async () => {
    const rows = chain(4);
    const [a, b] = signedOver(rows, [1, 3]);
    const result = await verifyAuditChain({
      mode: "incremental",
      db: fakeDb(rows),
      store: memoryStore([a, { ...b!, headHash: rows[2]!.hash }]),
      keys,
    });
    expect(result).toMatchObject({ ok: false, mode: "full", kind: "checkpoint-invalid", checked: 4 });
    expect(result.reason).toContain("a stored checkpoint is invalid: signature does not verify");
  });

  it("is not used when a witness is given or no key is configured: both need the full walk", async () => {
    const rows = chain(4);
    const cps = signedOver(rows, [3]);
    const withWitness = await verifyAuditChain({
      mode: "incremental",
      db: fakeDb(rows),
      store: memoryStore(cps),
      keys,
      witnesses: [cps[0]],
    });
    expect(withWitness).toMatchObject({ ok: true, mode: "full", checked: 4, checkpointsChecked: 2 });
    const noKeys = await verifyAuditChain({ mode: "incremental", db: fakeDb(rows), store: memoryStore([]), keys: [] });
    expect(noKeys).toMatchObject({ ok: true, mode: "full", checked: 4 });
    const badWitness = await verifyAuditChain({ mode: "incremental", db: fakeDb(rows), store: memoryStore(cps), keys, witnesses: [{}] });
    expect(badWitness).toMatchObject({ mode: "full", checked: 4 });
  });
});

describe("defaults", () => {
  it("reads the audit pool, the configured keys and the configured checkpoint directory", async () => {
    const rows = chain(4);
    const cps = signedOver(rows, [1, 3]);
    const dir = mkdtempSync(path.join(tmpdir(), "ncdd-verify-chain-"));
    for (const cp of cps) await fileCheckpointStore(dir).append(cp);
    vi.stubEnv("AUDIT_CHECKPOINT_DIR", dir);
    defaultDb.current = fakeDb(rows);
    const result = await verifyAuditChain();
    expect(result).toMatchObject({ ok: true, mode: "full", checked: 4, checkpointsChecked: 2 });
    expect(result.checkpoint?.headSeq).toBe("4");
  });

  it("needs no audit configuration at all when the store and the keys are given (a broken one is never read)", async () => {
    vi.stubEnv("AUDIT_CHECKPOINT_KEYS", "not-a-key-list");
    const rows = chain(3);
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore(signedOver(rows, [2])), keys });
    expect(result).toMatchObject({ ok: true, checkpointsChecked: 1 });
  });

  it("takes the keys from the configuration when only a store is given", async () => {
    const rows = chain(3);
    const cps = signedOver(rows, [2]);
    const result = await verifyAuditChain({ db: fakeDb(rows), store: memoryStore(cps) });
    expect(result).toMatchObject({ ok: true, checkpointsChecked: 1 });
    expect(result.checkpointProblem).toBeUndefined();
  });
});
