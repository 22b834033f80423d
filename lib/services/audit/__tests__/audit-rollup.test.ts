import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../db";
import { countAuditEventsOverTime } from "../count-audit-events-over-time";
import { makeRun } from "./audit-fixtures";
import { testAuditAction } from "@/test/test-audit-action";

const run = makeRun();

// Other files tamper with the trail as the superuser (triggers off), which the rollup rightly does not follow;
// so the comparisons look only at this file's own subjects and its own action name.
const PROBE_ACTION = testAuditAction(`rollup.probe-${run.id}`);

beforeAll(async () => {
  for (let i = 0; i < 5; i += 1) await run.record({ action: "task.run", outcome: i % 2 ? "failure" : "success" });
  for (let i = 0; i < 3; i += 1) await run.record({ subject: run.bob, action: "token.refresh" });
  await run.record({ subject: null, action: "task.run" });
  for (let i = 0; i < 4; i += 1)
    await run.record({ subject: i % 2 ? run.bob : null, action: PROBE_ACTION, outcome: i % 3 ? "success" : "failure" });
  // One append of many rows: the rollup is kept per statement, so one batch adds several to one bucket.
  await run.recordBatch(
    Array.from({ length: 9 }, (_, i) => ({
      subject: [run.alice, run.bob, null][i % 3],
      action: i < 5 ? PROBE_ACTION : "token.refresh",
      outcome: i % 2 ? ("failure" as const) : ("success" as const),
    })),
  );
});

afterAll(async () => {
  await db().$disconnect();
});

type TDirect = { hour: Date; subject: string; action: string; outcome: string; n: bigint };

/** Runs the reads in one REPEATABLE READ snapshot: a worker of another file may append audit rows meanwhile. */
function inOneSnapshot<T>(fn: (tx: Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0]) => Promise<T>): Promise<T> {
  return db().$transaction(fn, { isolationLevel: "RepeatableRead" });
}

describe("the hourly audit rollup (AuditHourlyCount, kept by a trigger)", () => {
  it("equals a direct count of the events, per hour, subject, action and outcome", async () => {
    const [direct, rollup] = await inOneSnapshot(async (tx) => [
      await tx.$queryRaw<TDirect[]>`
        SELECT date_trunc('hour', "at", 'UTC') AS hour, coalesce("subject", '') AS subject, "action", "outcome", count(*)::bigint AS n
        FROM "AuditEvent" WHERE "subject" IN (${run.alice}, ${run.bob}) GROUP BY 1, 2, 3, 4`,
      await tx.$queryRaw<TDirect[]>`
        SELECT "hour", "subject", "action", "outcome", "n" FROM "AuditHourlyCount" WHERE "n" > 0 AND "subject" IN (${run.alice}, ${run.bob})`,
    ]);
    const key = (r: TDirect) => `${r.hour.toISOString()}|${r.subject}|${r.action}|${r.outcome}=${r.n}`;
    expect(rollup.map(key).sort()).toEqual(direct.map(key).sort());
    expect(rollup.some((r) => r.subject === run.alice && r.action === "task.run" && r.outcome === "failure" && r.n === 2n)).toBe(true);
    const [totals, direct2] = await inOneSnapshot(async (tx) => [
      await tx.$queryRaw<
        TDirect[]
      >`SELECT "hour", '' AS subject, "action", "outcome", "n" FROM "AuditHourlyTotal" WHERE "action" = ${PROBE_ACTION}`,
      await tx.$queryRaw<TDirect[]>`
        SELECT h AS hour, '' AS subject, a AS action, coalesce(o, '*') AS outcome, count(*)::bigint AS n
        FROM (SELECT date_trunc('hour', "at", 'UTC') AS h, "action" AS a, "outcome" AS o FROM "AuditEvent" WHERE "action" = ${PROBE_ACTION}) e
        GROUP BY GROUPING SETS ((h, a, o), (h, a))`,
    ]);
    expect(totals.map(key).sort()).toEqual(direct2.map(key).sort());
  });

  it("gives the chart the same counts as the events over whole hours and the unfinished last one", async () => {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(Date.now() - 3 * 3_600_000);
    const chart = await countAuditEventsOverTime(run.admin, { subject: run.alice, bucket: "hour", from, to });
    const byAction = await countAuditEventsOverTime(run.admin, { action: "token.refresh", subject: run.bob, bucket: "day", from, to });
    // alice: 5 task runs and 3 rows of the batch; bob's token refreshes: 3 alone and 1 in the batch.
    expect(chart.buckets.reduce((n, b) => n + b.count, 0)).toBe(8);
    expect(byAction.buckets.reduce((n, b) => n + b.count, 0)).toBe(4);
    const failures = await countAuditEventsOverTime(run.asAlice, { outcome: "failure", bucket: "hour", from, to });
    expect(failures.buckets.reduce((n, b) => n + b.count, 0)).toBe(3);
    // Everyone's chart (the totals table) against a direct count over the same range.
    const everyone = await countAuditEventsOverTime(run.admin, { action: "token.refresh", bucket: "hour", from, to });
    const [direct] = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*)::bigint AS n FROM "AuditEvent" WHERE "action" = 'token.refresh' AND "at" >= ${chart.from}::timestamptz AND "at" < ${to}`;
    expect(everyone.buckets.reduce((n, b) => n + b.count, 0)).toBe(Number(direct!.n));
    const all = await countAuditEventsOverTime(run.admin, { bucket: "day", from, to });
    const [directAll] = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*)::bigint AS n FROM "AuditEvent" WHERE "at" >= ${all.from}::timestamptz AND "at" < ${to}`;
    expect(all.buckets.reduce((n, b) => n + b.count, 0)).toBe(Number(directAll!.n));
  });

  it("may not be written by the app role: only the trigger (running as the owner) changes it", async () => {
    await expect(db().$executeRaw`UPDATE "AuditHourlyCount" SET "n" = "n" + 1000 WHERE "subject" = ${run.alice}`).rejects.toThrow(
      /permission denied/,
    );
    await expect(db().$executeRaw`DELETE FROM "AuditHourlyTotal"`).rejects.toThrow(/permission denied/);
  });
});
