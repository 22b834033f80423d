import "server-only";
import { db } from "../../db";
import type { TCtx } from "../context";

export type TTaskOutcomeDay = { day: string; succeeded: number; failed: number; stopped: number };

const DAY_MS = 86_400_000;

/**
 * How the caller's finished runs ended, per UTC day, for the last `days` days (today included, zeros
 * filled), for the outcomes chart on /tasks. Only the caller's own tasks are counted.
 */
export async function listTaskOutcomes(ctx: TCtx, days = 14): Promise<TTaskOutcomeDay[]> {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const from = new Date(today - (days - 1) * DAY_MS);
  const rows = await db().$queryRaw<{ day: Date; status: string; n: bigint }[]>`
    SELECT date_trunc('day', r."finishedAt", 'UTC') AS day, r.status::text AS status, count(*) AS n
    FROM "TaskRun" r
    WHERE r."userSub" = ${ctx.userSub} AND r."finishedAt" >= ${from} AND r.status IN ('succeeded', 'failed', 'stopped')
    GROUP BY 1, 2`;
  const out: TTaskOutcomeDay[] = [];
  for (let t = from.getTime(); t <= today; t += DAY_MS) out.push({ day: new Date(t).toISOString(), succeeded: 0, failed: 0, stopped: 0 });
  for (const r of rows) {
    const slot = out.find((d) => Date.parse(d.day) === r.day.getTime());
    if (slot) slot[r.status as "succeeded" | "failed" | "stopped"] += Number(r.n);
  }
  return out;
}
