import "server-only";
import { z } from "zod";
import type PgBoss from "pg-boss";
import { db } from "../db";
import { env } from "../env";
import { TASK_RUN_QUEUE } from "./task-queue";
import { measureTaskRun } from "./measure-task-run";
import { runTask } from "./run-task";
import { startRevocationListener } from "./revocation-listener";
import { TASK_QUEUED_CHANNEL, taskQueuedSignal } from "./task-queued-signal";

export const ZTaskRunJobSchema = z.object({
  taskId: z.string().min(1),
  runId: z.string().min(1),
  /** Options of the task type's job, validated by that job's own payload schema when the run starts. */
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type TTaskRunJob = z.infer<typeof ZTaskRunJobSchema>;

/** Polling is only the fallback (retries that become due, a missed wake-up): queued runs wake workers. */
const FALLBACK_POLL_SECONDS = 0.5;

/**
 * Enqueues a run of a task; null when that task already has a run queued (one at a time). Wakes idle
 * workers in every process (NOTIFY) and in this one, so the run starts without waiting for a poll.
 */
export async function enqueueTaskRun(boss: PgBoss, job: TTaskRunJob): Promise<string | null> {
  const id = await boss.send(TASK_RUN_QUEUE, ZTaskRunJobSchema.parse(job), { singletonKey: job.taskId });
  if (id) {
    await db().$executeRaw`SELECT pg_notify(${TASK_QUEUED_CHANNEL}, '')`;
    taskQueuedSignal.emit();
  }
  return id;
}

/**
 * Registers `concurrency` queue workers (one slot each) that execute task runs. A slot that finishes a
 * run fetches the next one at once instead of sleeping out pg-boss's polling interval, and idle slots
 * are woken when a run is queued anywhere, so throughput is bound by the work, not by polling. Also
 * starts this process's revocation listener (pushed revocations, lib/jobs/revocation-listener.ts).
 */
export async function workTaskRuns(boss: PgBoss, concurrency: number): Promise<void> {
  startRevocationListener(env().DATABASE_URL);
  const workerIds: string[] = [];
  for (let i = 0; i < concurrency; i += 1) {
    let workerId = "";
    workerId = await boss.work<TTaskRunJob>(
      TASK_RUN_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: FALLBACK_POLL_SECONDS },
      async ([job]) => {
        if (!job) return;
        try {
          const { runId, payload } = ZTaskRunJobSchema.parse(job.data);
          await measureTaskRun(runId, () => runTask(runId, { jobId: job.id, payload }));
        } finally {
          // More may be waiting: fetch again right after this job instead of after the polling interval.
          boss.notifyWorker(workerId);
        }
      },
    );
    workerIds.push(workerId);
  }
  const off = taskQueuedSignal.on(() => workerIds.forEach((id) => boss.notifyWorker(id)));
  boss.once("stopped", off);
}
