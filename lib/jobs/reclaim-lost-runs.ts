import "server-only";
import type PgBoss from "pg-boss";
import { db } from "../db";
import { log } from "../logger";
import { TASK_RUN_QUEUE } from "./task-queue";

type TLost = { id: string; jobId: string };

/**
 * Hands runs whose worker died (heartbeat older than `leaseSeconds`) back to the queue: the run goes back
 * to "queued" and its pg-boss job is failed, so pg-boss retries it with backoff on any worker within
 * seconds rather than after the job's expiry. The conditional UPDATE lets exactly one worker reclaim a
 * given run. Returns how many runs were handed back.
 */
export async function reclaimLostRuns(boss: PgBoss, leaseSeconds: number): Promise<number> {
  const lost = await db().$queryRaw<TLost[]>`
    UPDATE "TaskRun" SET "status" = 'queued', "leaseId" = NULL, "heartbeatAt" = NULL, "error" = 'worker lost; retrying'
    WHERE "status" = 'running' AND "jobId" IS NOT NULL AND "heartbeatAt" < now() - make_interval(secs => ${leaseSeconds})
    RETURNING "id", "jobId"`;
  for (const run of lost) {
    await boss.fail(TASK_RUN_QUEUE, run.jobId, { message: "worker lost" });
    const job = await boss.getJobById(TASK_RUN_QUEUE, run.jobId);
    // Retries used up (or the job is gone): the run will not be picked up again, so it ends here.
    if (!job || job.state === "failed" || job.state === "completed" || job.state === "cancelled") {
      await db().taskRun.updateMany({
        where: { id: run.id, status: "queued" },
        data: { status: "failed", error: "worker lost; retries exhausted", finishedAt: new Date() },
      });
    }
    log.warn("run handed back to the queue", { runId: run.id, jobId: run.jobId, state: job?.state ?? "missing" });
  }
  return lost.length;
}
