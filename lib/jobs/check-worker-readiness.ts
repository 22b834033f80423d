import "server-only";
import type PgBoss from "pg-boss";
import { runHealthCheck } from "../health/run-health-check";
import type { THealthReport } from "../health/health-types";
import { TASK_RUN_QUEUE } from "./task-queue";

/**
 * A worker is ready when its queue answers (pg-boss reaches PostgreSQL) and its heartbeat row was
 * renewed within three intervals. The answer names each check with its latency; no secret, no URL.
 */
export async function checkWorkerReadiness(deps: {
  boss: PgBoss;
  lastBeatAt: () => Date | null;
  heartbeatEveryMs: number;
  timeoutMs?: number;
}): Promise<THealthReport> {
  const timeoutMs = deps.timeoutMs ?? 2000;
  const maxAgeMs = Math.max(1000, 3 * deps.heartbeatEveryMs);
  const checks = await Promise.all([
    runHealthCheck("queue", timeoutMs, async () => {
      const waiting = await deps.boss.getQueueSize(TASK_RUN_QUEUE);
      return `task-run queue reachable, ${waiting ?? 0} waiting`;
    }),
    runHealthCheck("heartbeat", timeoutMs, async () => {
      const last = deps.lastBeatAt();
      if (!last) throw new Error("no heartbeat written yet");
      const age = Date.now() - last.getTime();
      if (age > maxAgeMs) throw new Error(`last heartbeat ${(age / 1000).toFixed(1)} s ago (limit ${(maxAgeMs / 1000).toFixed(1)} s)`);
      return `last heartbeat ${(age / 1000).toFixed(1)} s ago`;
    }),
  ]);
  return { status: checks.every((c) => c.ok) ? "ready" : "unready", checks };
}
