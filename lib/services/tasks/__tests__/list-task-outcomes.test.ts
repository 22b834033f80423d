import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createLocalGrant, createLocalPerson, createLocalTask, deleteLocalPerson } from "@/test/fixtures/local-grant";
import { listTaskOutcomes } from "../list-task-outcomes";

// The /tasks outcomes chart counts finished runs per UTC day and outcome. Database only: people of this
// file's own, with runs written directly at chosen finish times.
const DAY_MS = 86_400_000;
const people: string[] = [];
afterAll(async () => {
  for (const sub of people) await deleteLocalPerson(sub);
});

type TRun = { status: "queued" | "running" | "succeeded" | "failed" | "stopped"; finishedAt: Date | null };

async function personWithRuns(runs: TRun[]) {
  const ctx = await createLocalPerson("outcomes");
  people.push(ctx.userSub);
  const grantId = await createLocalGrant(ctx.userSub);
  const taskId = await createLocalTask(ctx.userSub, grantId, "notes-index");
  await db().taskRun.createMany({ data: runs.map((r) => ({ taskId, userSub: ctx.userSub, ...r })) });
  return ctx;
}

describe("listTaskOutcomes", () => {
  it("counts each finished run once, on its UTC day and under its outcome, for the last 14 days only", async () => {
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const at = (daysAgo: number, msIntoDay: number) => new Date(today - daysAgo * DAY_MS + msIntoDay);
    const runs: TRun[] = [
      { status: "succeeded", finishedAt: at(0, 1_000) },
      { status: "succeeded", finishedAt: at(0, 2_000) },
      { status: "failed", finishedAt: at(0, 3_000) },
      { status: "stopped", finishedAt: at(1, DAY_MS - 1) }, // the last millisecond of yesterday
      { status: "succeeded", finishedAt: at(1, 0) }, // the first millisecond of yesterday
      { status: "failed", finishedAt: at(6, 12 * 3_600_000) },
      { status: "succeeded", finishedAt: at(13, 0) }, // the oldest day shown
      { status: "succeeded", finishedAt: at(14, DAY_MS - 1) }, // one millisecond too old
      { status: "running", finishedAt: null },
      { status: "queued", finishedAt: null },
    ];
    const ctx = await personWithRuns(runs);
    // Someone else's runs on the same days are not counted.
    await personWithRuns([{ status: "failed", finishedAt: at(0, 4_000) }]);

    const days = await listTaskOutcomes(ctx);

    expect(days).toHaveLength(14);
    expect(days.map((d) => Date.parse(d.day))).toEqual(Array.from({ length: 14 }, (_, i) => today - (13 - i) * DAY_MS));
    const expected = days.map((d) => {
      const start = Date.parse(d.day);
      const count = (status: TRun["status"]) =>
        runs.filter(
          (r) => r.status === status && r.finishedAt && r.finishedAt.getTime() >= start && r.finishedAt.getTime() < start + DAY_MS,
        ).length;
      return { day: d.day, succeeded: count("succeeded"), failed: count("failed"), stopped: count("stopped") };
    });
    expect(days).toEqual(expected);
    // Spelled out, so the expectation above cannot be trivially empty.
    expect(days[13]).toMatchObject({ succeeded: 2, failed: 1, stopped: 0 });
    expect(days[12]).toMatchObject({ succeeded: 1, failed: 0, stopped: 1 });
    expect(days[7]).toMatchObject({ succeeded: 0, failed: 1, stopped: 0 });
    expect(days[0]).toMatchObject({ succeeded: 1, failed: 0, stopped: 0 });
    const total = days.reduce((n, d) => n + d.succeeded + d.failed + d.stopped, 0);
    expect(total).toBe(7);
  });

  it("gives a person with no runs fourteen empty days", async () => {
    const ctx = await personWithRuns([]);
    const days = await listTaskOutcomes(ctx, 14);
    expect(days).toHaveLength(14);
    expect(days.every((d) => d.succeeded + d.failed + d.stopped === 0)).toBe(true);
  });
});
