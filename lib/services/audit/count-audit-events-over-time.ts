import "server-only";
import { z } from "zod";
import { AppError } from "../../errors";
import { Prisma } from "@prisma/client";
import { db } from "../../db";
import type { TCtx } from "../context";
import { buildAuditWhere } from "./build-audit-where";
import { parseAuditInput, refineTimeRange, ZAuditFilterFields, type TAuditFilter } from "./parse-audit-filter";
import { resolvePersonFilter } from "./resolve-person-filter";
import { scopeAuditFilter } from "./scope-audit-filter";

const MAX_BUCKETS = 1_000;
const STEP_MS = { hour: 3_600_000, day: 86_400_000 } as const;
const DEFAULT_SPAN_MS = { hour: 48 * STEP_MS.hour, day: 90 * STEP_MS.day } as const;

export const ZCountAuditEventsOverTimeSchema = z
  .object({
    ...ZAuditFilterFields,
    bucket: z.enum(["hour", "day"], { error: "bucket must be hour or day" }).default("day"),
  })
  .strict()
  .superRefine(refineTimeRange);

export type TCountAuditEventsOverTimeInput = z.input<typeof ZCountAuditEventsOverTimeSchema>;
export type TAuditCountBucket = { start: string; count: number };
export type TCountAuditEventsOverTimeResult = {
  bucket: "hour" | "day";
  from: string;
  to: string;
  buckets: TAuditCountBucket[];
};

function floorUtc(d: Date, bucket: "hour" | "day"): Date {
  return new Date(Math.floor(d.getTime() / STEP_MS[bucket]) * STEP_MS[bucket]);
}

/**
 * Event counts per UTC hour or day for the same filters and permission scope as searchAuditEvents, for
 * the chart above the list. Every bucket in the range is present (zeros included), so a chart can plot
 * the array as is. Without a range it covers the last 48 hours (hourly) or 90 days (daily).
 */
export async function countAuditEventsOverTime(ctx: TCtx, input: TCountAuditEventsOverTimeInput): Promise<TCountAuditEventsOverTimeResult> {
  const { bucket, ...filter } = parseAuditInput(ZCountAuditEventsOverTimeSchema, input);
  const to = filter.to ?? new Date();
  const from = floorUtc(filter.from ?? new Date(to.getTime() - DEFAULT_SPAN_MS[bucket]), bucket);
  if (from >= to) throw new AppError("BadInput", "Invalid audit query: to must be after from");
  const span = Math.ceil((to.getTime() - from.getTime()) / STEP_MS[bucket]);
  if (span > MAX_BUCKETS) {
    throw new AppError(
      "BadInput",
      `Invalid audit query: the range has ${span} ${bucket}s; at most ${MAX_BUCKETS} buckets (use day, or a shorter range)`,
    );
  }
  const scoped = scopeAuditFilter(ctx, await resolvePersonFilter({ ...filter, from, to }));
  const counts = new Map<number, number>();
  const add = (rows: { start: Date; n: bigint }[]) => {
    for (const r of rows) counts.set(r.start.getTime(), (counts.get(r.start.getTime()) ?? 0) + Number(r.n));
  };
  // Whole hours come from the hourly rollup when the filter is one it keeps (subject, action, outcome);
  // the events of the unfinished last hour, and any other filter, are counted from the events themselves.
  const rollupTo = rollupServes(scoped) ? floorUtc(to, "hour") : from;
  if (rollupTo > from) add(await countFromRollup(scoped, bucket, from, rollupTo));
  if (to > rollupTo) {
    const where = await buildAuditWhere({ ...scoped, from: rollupTo, to }, { seqRange: false });
    if (where !== null) {
      add(
        await db().$queryRaw<{ start: Date; n: bigint }[]>`
          SELECT date_trunc(${bucket}, "at", 'UTC') AS start, count(*) AS n
          FROM "AuditEvent" WHERE ${where}
          GROUP BY 1`,
      );
    }
  }
  const buckets: TAuditCountBucket[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += STEP_MS[bucket]) {
    buckets.push({ start: new Date(t).toISOString(), count: counts.get(t) ?? 0 });
  }
  return { bucket, from: from.toISOString(), to: to.toISOString(), buckets };
}

const ANY = "*";

/** True when every filter set is a dimension of AuditHourlyCount (the time range is handled apart). */
function rollupServes(f: TAuditFilter): boolean {
  // '*' is the rollup's "any action": a filter for that literal name is counted from the events.
  if (f.action === ANY) return false;
  return Object.entries(f).every(([k, v]) => v === undefined || ["subject", "action", "outcome", "from", "to"].includes(k));
}

function countFromRollup(f: TAuditFilter, bucket: "hour" | "day", from: Date, to: Date) {
  const conds = [Prisma.sql`"hour" >= ${from}`, Prisma.sql`"hour" < ${to}`];
  if (f.subject !== undefined) {
    // One person's counts are few rows.
    conds.push(Prisma.sql`"subject" = ${f.subject}`);
    if (f.action !== undefined) conds.push(Prisma.sql`"action" = ${f.action}`);
    if (f.outcome !== undefined) conds.push(Prisma.sql`"outcome" = ${f.outcome}`);
  } else {
    // Everyone's: one row per hour, '*' standing for any action or outcome.
    conds.push(Prisma.sql`"action" = ${f.action ?? ANY}`, Prisma.sql`"outcome" = ${f.outcome ?? ANY}`);
  }
  const table = f.subject !== undefined ? Prisma.raw(`"AuditHourlyCount"`) : Prisma.raw(`"AuditHourlyTotal"`);
  return db().$queryRaw<{ start: Date; n: bigint }[]>`
    SELECT date_trunc(${bucket}, "hour", 'UTC') AS start, sum("n")::bigint AS n
    FROM ${table} WHERE ${Prisma.join(conds, " AND ")}
    GROUP BY 1`;
}
