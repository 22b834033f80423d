import { GENESIS_HASH } from "./canonical-event";

/** What the walker needs of a row: its place, time (ISO-8601) and links. Its content is hashed apart. */
export type TChainLink = { seq: bigint; at: string; prevHash: string; hash: string };

/** A checkpoint as the walker needs it: how many rows up to which seq, ending in which hash. */
export type TWalkCheckpoint = { count: bigint; headSeq: bigint; headHash: string; at: string };

export type TChainFindingKind = "altered" | "link" | "time" | "rewritten" | "missing-tail" | "missing-rows";

/** What disagrees, and where: the first row that does not match, and for a missing tail the gap. */
export type TChainFinding = {
  kind: TChainFindingKind;
  firstBrokenSeq: string;
  reason: string;
  gap?: { afterSeq: string | null; missingRows: string; throughSeq: string; checkpointAt: string };
};

/** Where a walk starts: the hash and time (ISO-8601) of the row before, rows counted so far, its seq. */
export type TWalkStart = { prevHash: string; prevAt: string | null; count: bigint; lastSeq: bigint | null };

const short = (h: string) => h.slice(0, 12);

// A finding at one row (built only when there is one: push runs a million times per walk).
const findingAt = (row: TChainLink, reason: string, kind: TChainFindingKind): TChainFinding => ({
  kind,
  firstBrokenSeq: row.seq.toString(),
  reason,
});

/**
 * Checks rows fed in seq order against their own links and hashes AND against signed checkpoints
 * (sorted by headSeq). A stored hash that does not match its row, or a prevHash that does not name the
 * row before, is reported at that exact row. A chain that is consistent in itself but ends a checkpoint
 * with another hash or row count was rewritten (edit-and-rehash, forked or replaced history): reported
 * from the first row after the last checkpoint that still matches, which brackets the first changed row
 * as closely as the checkpoints allow. Checkpoints beyond the last row mean the tail was deleted.
 */
export function createChainWalker(
  checkpoints: TWalkCheckpoint[],
  start: TWalkStart = { prevHash: GENESIS_HASH, prevAt: null, count: 0n, lastSeq: null },
) {
  const pending = checkpoints
    .filter((c) => start.lastSeq === null || c.headSeq > start.lastSeq)
    .sort((a, b) => (a.headSeq < b.headSeq ? -1 : a.headSeq > b.headSeq ? 1 : 0));
  let next = 0;
  let { prevHash, prevAt, count, lastSeq } = start;
  let checked = 0;
  let vouchedSeq: bigint | null = start.lastSeq;
  let firstAfterVouched: bigint | null = null;
  let matched = 0;

  const rewritten = (cp: TWalkCheckpoint, why: string, at: bigint): TChainFinding => {
    const first = firstAfterVouched ?? at;
    const from = vouchedSeq === null ? "from the first row" : `after seq ${vouchedSeq} (the last row a checkpoint still vouches for)`;
    return {
      kind: "rewritten",
      firstBrokenSeq: first.toString(),
      reason: `history was rewritten ${from}: ${why}, although every row's hash and link is consistent. The checkpoint signed ${cp.at} covers ${cp.count} rows up to seq ${cp.headSeq} ending in ${short(cp.headHash)}…; the first row that disagrees lies between seq ${first} and seq ${cp.headSeq}`,
    };
  };

  // Rows a checkpoint covered are gone after `lastSeq` (the last row that is still there and matches).
  function gapFinding(kind: "missing-tail" | "missing-rows", cp: TWalkCheckpoint, have: bigint, next: string): TChainFinding {
    const missing = cp.count > have ? cp.count - have : 0n;
    const where = kind === "missing-tail" ? "at the end" : `after seq ${lastSeq ?? 0}`;
    return {
      kind,
      firstBrokenSeq: ((lastSeq ?? 0n) + 1n).toString(),
      reason: `rows are missing ${where}: the checkpoint signed ${cp.at} covers ${cp.count} rows up to seq ${cp.headSeq}, but the table has ${have} rows up to seq ${lastSeq ?? "none"}${next}${missing > 0n ? ` — ${missing} rows after seq ${lastSeq ?? 0} were deleted` : ""}`,
      gap: {
        afterSeq: lastSeq === null ? null : lastSeq.toString(),
        missingRows: missing.toString(),
        throughSeq: cp.headSeq.toString(),
        checkpointAt: cp.at,
      },
    };
  }

  return {
    /**
     * Feeds the next row, with whether its content does NOT hash to its stored hash (checked by the
     * caller, possibly on another thread); returns the first problem found, or null.
     */
    push(row: TChainLink, altered: boolean): TChainFinding | null {
      checked += 1;
      count += 1n;
      firstAfterVouched ??= row.seq;
      if (row.prevHash !== prevHash) {
        return findingAt(
          row,
          `prevHash does not match the hash of the row before it (a row was removed, inserted or altered before seq ${row.seq})`,
          "link",
        );
      }
      if (altered) return findingAt(row, "stored hash does not match the row's content (the row was altered)", "altered");
      if (prevAt && row.at < prevAt) return findingAt(row, "time goes backwards along the chain", "time");
      if (next < pending.length && pending[next]!.headSeq < row.seq) {
        const cp = pending[next]!;
        const before = count - 1n;
        // Fewer rows up to here than the checkpoint signed, and newer rows were appended after the hole:
        // the newest rows of that time were deleted and the writers carried on from what was left.
        if (before < cp.count) {
          return gapFinding("missing-rows", cp, before, `, and ${row.seq} is the next row the table has`);
        }
        return rewritten(cp, `the row seq ${cp.headSeq} a checkpoint ends at is gone`, row.seq);
      }
      while (next < pending.length && pending[next]!.headSeq === row.seq) {
        const cp = pending[next]!;
        if (cp.headHash !== row.hash || cp.count !== count) {
          return rewritten(cp, `at seq ${row.seq} the table has ${count} rows ending in ${short(row.hash)}…`, row.seq);
        }
        next += 1;
        matched += 1;
        vouchedSeq = row.seq;
        firstAfterVouched = null;
      }
      prevHash = row.hash;
      prevAt = row.at;
      lastSeq = row.seq;
      return null;
    },
    /** After the last row: checkpoints not reached mean rows at the end were deleted. */
    finish(): TChainFinding | null {
      if (next >= pending.length) return null;
      return gapFinding("missing-tail", pending[pending.length - 1]!, count, "");
    },
    state: () => ({ count, lastSeq, prevHash, prevAt, checked, matched }),
  };
}
