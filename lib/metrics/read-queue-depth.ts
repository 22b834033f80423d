import "server-only";
import { db } from "../db";
import { TASK_RUN_QUEUE } from "../jobs/task-queue";

export type TQueueDepth = { created: number; retry: number; active: number };

/**
 * Jobs of the task-run queue by state, read straight from pg-boss's table (the app has no pg-boss
 * instance of its own). Null when pg-boss has not installed its schema yet (no worker ever started).
 */
export async function readQueueDepth(): Promise<TQueueDepth | null> {
  const [exists] = await db().$queryRaw<{ ok: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS ok`;
  if (!exists?.ok) return null;
  const rows = await db().$queryRaw<{ state: string; n: number }[]>`
    SELECT state::text AS state, count(*)::int AS n FROM pgboss.job
    WHERE name = ${TASK_RUN_QUEUE} AND state IN ('created', 'retry', 'active') GROUP BY state`;
  const depth: TQueueDepth = { created: 0, retry: 0, active: 0 };
  for (const r of rows) depth[r.state as keyof TQueueDepth] = r.n;
  return depth;
}
