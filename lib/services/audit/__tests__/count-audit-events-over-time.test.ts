import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../db";
import { AppError } from "../../../errors";
import { countAuditEventsOverTime } from "../count-audit-events-over-time";
import { makeRun } from "./audit-fixtures";

const run = makeRun();
const corr = `corr-${run.id}`;

beforeAll(async () => {
  for (let i = 0; i < 3; i += 1) await run.record({ action: "task.run" });
  await run.record({ subject: run.bob, action: "task.run" });
});

afterAll(async () => {
  await db().$disconnect();
});

describe("countAuditEventsOverTime", () => {
  it("counts the filtered events per hour with every bucket present", async () => {
    const result = await countAuditEventsOverTime(run.admin, { correlationId: corr, bucket: "hour" });
    expect(result.bucket).toBe("hour");
    expect(result.buckets.length).toBeGreaterThanOrEqual(48);
    expect(result.buckets.reduce((n, b) => n + b.count, 0)).toBe(4);
    const starts = result.buckets.map((b) => Date.parse(b.start));
    expect(starts.every((t, i) => i === 0 || t - starts[i - 1]! === 3_600_000)).toBe(true);
    expect(starts.every((t) => t % 3_600_000 === 0)).toBe(true);
  });

  it("counts per day over an explicit range", async () => {
    const to = new Date(Date.now() + 86_400_000);
    const from = new Date(Date.now() - 3 * 86_400_000);
    const result = await countAuditEventsOverTime(run.admin, { correlationId: corr, bucket: "day", from, to });
    expect(result.buckets).toHaveLength(5);
    expect(result.buckets.reduce((n, b) => n + b.count, 0)).toBe(4);
  });

  it("scopes an ordinary user to their own events and refuses other subjects", async () => {
    const own = await countAuditEventsOverTime(run.asAlice, { correlationId: corr });
    expect(own.buckets.reduce((n, b) => n + b.count, 0)).toBe(3);
    await expect(countAuditEventsOverTime(run.asAlice, { subject: run.bob })).rejects.toMatchObject({ code: "Forbidden" });
  });

  it("refuses ranges with too many buckets", async () => {
    const error = await countAuditEventsOverTime(run.admin, {
      bucket: "hour",
      from: "2026-01-01T00:00:00Z",
      to: "2026-06-01T00:00:00Z",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/at most 1000 buckets/);
  });
});
