import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent } from "../canonical-event";
import { createChainWalker, type TWalkCheckpoint } from "../chain-walker";
import type { TChainRow } from "../read-chain-rows";
import { chain, rehashFrom } from "./chain-rows-fixture";

/**
 * The chain walker on rows built in memory (no database): every kind of finding, exactly where it is
 * reported and in the words the admin reads. (audit-chain.test.ts and checkpoint-verify.test.ts prove the
 * same against rows stored in PostgreSQL and tampered with as a superuser.)
 */
const cp = (rows: TChainRow[], index: number, over: Partial<TWalkCheckpoint> = {}): TWalkCheckpoint => ({
  count: BigInt(index + 1),
  headSeq: rows[index]!.seq,
  headHash: rows[index]!.hash,
  at: `2026-12-01T11:00:0${index}.000Z`,
  ...over,
});

function walk(rows: TChainRow[], checkpoints: TWalkCheckpoint[] = [], start?: Parameters<typeof createChainWalker>[1]) {
  const walker = createChainWalker(checkpoints, start);
  for (const row of rows) {
    const finding = walker.push(row, hashEvent(row) !== row.hash);
    if (finding) return { finding, state: walker.state() };
  }
  return { finding: walker.finish(), state: walker.state() };
}

describe("an intact chain", () => {
  it("has no finding, and the walker's state names the last row, its hash and time, and every row counted", () => {
    const rows = chain(4);
    const { finding, state } = walk(rows, [cp(rows, 1), cp(rows, 3)]);
    expect(finding).toBeNull();
    expect(state).toEqual({ count: 4n, lastSeq: 4n, prevHash: rows[3]!.hash, prevAt: rows[3]!.at, checked: 4, matched: 2 });
  });

  it("accepts checkpoints in any order, and two checkpoints of the same head", () => {
    const rows = chain(4);
    const { finding, state } = walk(rows, [cp(rows, 3), cp(rows, 1), cp(rows, 1, { at: "2026-12-01T12:00:00.000Z" })]);
    expect(finding).toBeNull();
    expect(state.matched).toBe(3);
  });

  it("an empty table with no checkpoint is intact", () => {
    expect(walk([])).toEqual({
      finding: null,
      state: { count: 0n, lastSeq: null, prevHash: GENESIS_HASH, prevAt: null, checked: 0, matched: 0 },
    });
  });
});

describe("a row that does not fit its own chain", () => {
  it("a prevHash that does not name the row before is reported at that row", () => {
    const rows = chain(4);
    rows[2] = { ...rows[2]!, prevHash: "f".repeat(64) };
    expect(walk(rows).finding).toEqual({
      kind: "link",
      firstBrokenSeq: "3",
      reason: "prevHash does not match the hash of the row before it (a row was removed, inserted or altered before seq 3)",
    });
  });

  it("the first row must link to the genesis hash", () => {
    const rows = chain(2);
    rows[0] = { ...rows[0]!, prevHash: "a".repeat(64) };
    expect(walk(rows).finding).toMatchObject({ kind: "link", firstBrokenSeq: "1" });
  });

  it("a changed column under an unchanged hash is reported at that row", () => {
    const rows = chain(3);
    rows[1] = { ...rows[1]!, actor: "someone-else" };
    expect(walk(rows).finding).toEqual({
      kind: "altered",
      firstBrokenSeq: "2",
      reason: "stored hash does not match the row's content (the row was altered)",
    });
  });

  it("time going backwards is reported even when every hash was recomputed; equal times are fine", () => {
    const rows = chain(3);
    rows[2]!.at = rows[0]!.at;
    expect(walk(rehashFrom(rows, 2)).finding).toEqual({ kind: "time", firstBrokenSeq: "3", reason: "time goes backwards along the chain" });
    const same = chain(3);
    same[2]!.at = same[1]!.at;
    expect(walk(rehashFrom(same, 2)).finding).toBeNull();
  });

  it("stops at the first finding and counts the rows checked up to it", () => {
    const rows = chain(5);
    rows[1] = { ...rows[1]!, outcome: "failure" };
    rows[3] = { ...rows[3]!, prevHash: "0".repeat(63) + "1" };
    const { finding, state } = walk(rows);
    expect(finding?.firstBrokenSeq).toBe("2");
    expect(state).toMatchObject({ checked: 2, count: 2n, lastSeq: 1n });
  });
});

describe("a chain consistent in itself that a checkpoint contradicts", () => {
  it("rewritten from the first row: reported from the first row, with the checkpoint's words", () => {
    const rows = chain(3);
    const signed = cp(rows, 2);
    const forged = rehashFrom(
      rows.map((r, i) => (i === 0 ? { ...r, actor: "forger" } : r)),
      0,
    );
    expect(walk(forged, [signed]).finding).toEqual({
      kind: "rewritten",
      firstBrokenSeq: "1",
      reason: `history was rewritten from the first row: at seq 3 the table has 3 rows ending in ${forged[2]!.hash.slice(0, 12)}…, although every row's hash and link is consistent. The checkpoint signed ${signed.at} covers 3 rows up to seq 3 ending in ${signed.headHash.slice(0, 12)}…; the first row that disagrees lies between seq 1 and seq 3`,
    });
  });

  it("rewritten after a checkpoint that still matches: reported from the first row after it", () => {
    const rows = chain(5);
    const early = cp(rows, 1);
    const late = cp(rows, 4);
    const forged = rehashFrom(
      rows.map((r, i) => (i === 3 ? { ...r, details: { i: 99 } } : r)),
      3,
    );
    const { finding, state } = walk(forged, [early, late]);
    expect(finding).toMatchObject({ kind: "rewritten", firstBrokenSeq: "3" });
    expect(finding!.reason).toMatch(
      /^history was rewritten after seq 2 \(the last row a checkpoint still vouches for\): at seq 5 the table has 5 rows/,
    );
    expect(finding!.reason).toMatch(/the first row that disagrees lies between seq 3 and seq 5$/);
    expect(state.matched).toBe(1);
  });

  it("a checkpoint whose row count differs is a rewrite too, even with the same head hash", () => {
    const rows = chain(3);
    expect(walk(rows, [cp(rows, 2, { count: 4n })]).finding).toMatchObject({ kind: "rewritten", firstBrokenSeq: "1" });
  });

  it("the row a checkpoint ends at is gone, with as many rows before it as signed: rewritten", () => {
    const rows = chain(4);
    const signed = cp(rows, 1, { count: 1n });
    const without = rehashFrom([rows[0]!, ...rows.slice(2)], 1);
    const { finding } = walk(without, [signed]);
    expect(finding).toMatchObject({ kind: "rewritten", firstBrokenSeq: "1" });
    expect(finding!.reason).toContain("the row seq 2 a checkpoint ends at is gone");
  });
});

describe("rows a checkpoint covered are missing", () => {
  it("newest rows deleted and the writers carried on: missing-rows, with the gap", () => {
    const rows = chain(6);
    const signed = cp(rows, 3);
    // Rows 3 and 4 (seq) are gone; a new row seq 5 was written after seq 2.
    const carriedOn = rehashFrom([rows[0]!, rows[1]!, { ...rows[4]! }], 2);
    expect(walk(carriedOn, [signed]).finding).toEqual({
      kind: "missing-rows",
      firstBrokenSeq: "3",
      reason: `rows are missing after seq 2: the checkpoint signed ${signed.at} covers 4 rows up to seq 4, but the table has 2 rows up to seq 2, and 5 is the next row the table has — 2 rows after seq 2 were deleted`,
      gap: { afterSeq: "2", missingRows: "2", throughSeq: "4", checkpointAt: signed.at },
    });
  });

  it("the tail deleted: missing-tail at the end, with the gap", () => {
    const rows = chain(5);
    const signed = cp(rows, 4);
    expect(walk(rows.slice(0, 3), [cp(rows, 1), signed]).finding).toEqual({
      kind: "missing-tail",
      firstBrokenSeq: "4",
      reason: `rows are missing at the end: the checkpoint signed ${signed.at} covers 5 rows up to seq 5, but the table has 3 rows up to seq 3 — 2 rows after seq 3 were deleted`,
      gap: { afterSeq: "3", missingRows: "2", throughSeq: "5", checkpointAt: signed.at },
    });
  });

  it("every row deleted: the gap starts before the first row", () => {
    const rows = chain(2);
    const signed = cp(rows, 1);
    expect(walk([], [signed]).finding).toEqual({
      kind: "missing-tail",
      firstBrokenSeq: "1",
      reason: `rows are missing at the end: the checkpoint signed ${signed.at} covers 2 rows up to seq 2, but the table has 0 rows up to seq none — 2 rows after seq 0 were deleted`,
      gap: { afterSeq: null, missingRows: "2", throughSeq: "2", checkpointAt: signed.at },
    });
  });

  it("a checkpoint past the last row that signed no more rows than are there names no deleted rows", () => {
    const rows = chain(3);
    const signed = cp(rows, 2, { count: 2n });
    const { finding } = walk(rows.slice(0, 2), [signed]);
    expect(finding).toMatchObject({ kind: "missing-tail", gap: { missingRows: "0" } });
    expect(finding!.reason).toBe(
      `rows are missing at the end: the checkpoint signed ${signed.at} covers 2 rows up to seq 3, but the table has 2 rows up to seq 2`,
    );
    // Fewer rows signed than the table has: still no negative count of deleted rows.
    expect(walk(rows.slice(0, 2), [cp(rows, 2, { count: 1n })]).finding).toMatchObject({ kind: "missing-tail", gap: { missingRows: "0" } });
  });
});

describe("a walk that starts after a checkpoint (incremental)", () => {
  it("starts from the given row, ignores checkpoints it already passed, and checks the ones after", () => {
    const rows = chain(5);
    const start = { prevHash: rows[1]!.hash, prevAt: rows[1]!.at, count: 2n, lastSeq: 2n };
    // A checkpoint at or before the start is not looked at again (this one would not match).
    const passed = cp(rows, 1, { headHash: "e".repeat(64) });
    const { finding, state } = walk(rows.slice(2), [passed, cp(rows, 4)], start);
    expect(finding).toBeNull();
    expect(state).toEqual({ count: 5n, lastSeq: 5n, prevHash: rows[4]!.hash, prevAt: rows[4]!.at, checked: 3, matched: 1 });
  });

  it("finds a row that does not link to the start, and time going back before the start", () => {
    const rows = chain(4);
    const start = { prevHash: rows[1]!.hash, prevAt: rows[1]!.at, count: 2n, lastSeq: 2n };
    expect(walk(rows.slice(3), [], start).finding).toMatchObject({ kind: "link", firstBrokenSeq: "4" });
    const early = { ...start, prevAt: "2030-01-01T00:00:00.000Z" };
    expect(walk(rows.slice(2), [], early).finding).toMatchObject({ kind: "time", firstBrokenSeq: "3" });
  });

  it("a rewrite after the start is reported from the first row walked", () => {
    const rows = chain(4);
    const start = { prevHash: rows[1]!.hash, prevAt: rows[1]!.at, count: 2n, lastSeq: 2n };
    const signed = cp(rows, 3);
    const forged = rehashFrom(
      rows.map((r, i) => (i === 2 ? { ...r, action: "forged" } : r)),
      2,
    );
    const { finding } = walk(forged.slice(2), [signed], start);
    expect(finding).toMatchObject({ kind: "rewritten", firstBrokenSeq: "3" });
    expect(finding!.reason).toMatch(/^history was rewritten after seq 2 \(the last row a checkpoint still vouches for\)/);
  });
});
