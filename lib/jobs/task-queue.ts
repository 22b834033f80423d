import "server-only";
import PgBoss from "pg-boss";
import { env } from "../env";
import { log } from "../logger";

export const TASK_RUN_QUEUE = "task-run";

/**
 * The pg-boss instance of a worker process. Queue policy "stately" keeps at most one queued and one
 * active job per task (singletonKey = task id), so one task never runs twice at once, across any
 * number of workers on any number of machines. A run whose worker died is handed back when its lease
 * lapses (reclaim-lost-runs.ts) and retried with exponential backoff; pg-boss's job expiry is only the
 * backstop for a run that never started.
 */
export async function startTaskQueue(): Promise<PgBoss> {
  const e = env();
  const boss = new PgBoss({
    connectionString: e.DATABASE_URL,
    schema: "pgboss",
    max: 4,
    // Expired jobs (a killed worker) are noticed within seconds, not minutes.
    maintenanceIntervalSeconds: 2,
    monitorStateIntervalSeconds: 30,
  });
  boss.on("error", (error) => log.error("pg-boss error", { error }));
  await boss.start();
  const settings = { retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: e.WORKER_JOB_EXPIRE_SECONDS };
  if (!(await boss.getQueue(TASK_RUN_QUEUE))) {
    await boss.createQueue(TASK_RUN_QUEUE, { name: TASK_RUN_QUEUE, policy: "stately", ...settings });
  }
  // createQueue keeps an existing queue as it was: apply the configured retry and expiry every start.
  await boss.updateQueue(TASK_RUN_QUEUE, { name: TASK_RUN_QUEUE, ...settings });
  return boss;
}
