import "server-only";
import { z } from "zod";
import type PgBoss from "pg-boss";
import { TASK_RUN_QUEUE } from "./task-queue";
import { measureTaskRun } from "./measure-task-run";
import { runTask } from "./run-task";

export const ZTaskRunJobSchema = z.object({
  taskId: z.string().min(1),
  runId: z.string().min(1),
  /** Options of the task type's job, validated by that job's own payload schema when the run starts. */
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type TTaskRunJob = z.infer<typeof ZTaskRunJobSchema>;

/** Enqueues a run of a task; null when that task already has a run queued (one at a time). */
export async function enqueueTaskRun(boss: PgBoss, job: TTaskRunJob): Promise<string | null> {
  return boss.send(TASK_RUN_QUEUE, ZTaskRunJobSchema.parse(job), { singletonKey: job.taskId });
}

/** Registers the handler that executes task runs, with the configured concurrency. */
export async function workTaskRuns(boss: PgBoss, concurrency: number): Promise<void> {
  for (let i = 0; i < concurrency; i += 1) {
    await boss.work<TTaskRunJob>(TASK_RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (!job) return;
      const { runId, payload } = ZTaskRunJobSchema.parse(job.data);
      await measureTaskRun(runId, () => runTask(runId, { jobId: job.id, payload }));
    });
  }
}
