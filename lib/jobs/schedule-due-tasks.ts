import "server-only";
import type PgBoss from "pg-boss";
import { db } from "../db";
import { enqueueTaskRun } from "./task-run-job";

type TClaimed = { id: string; userSub: string };

/**
 * Enqueues every active task whose next run is due. Claiming moves `nextRunAt` forward in the same
 * statement (FOR UPDATE SKIP LOCKED), so several workers scheduling at once never double-enqueue.
 * Returns how many runs were queued.
 */
export async function scheduleDueTasks(boss: PgBoss, limit = 50): Promise<number> {
  const claimed = await db().$queryRaw<TClaimed[]>`
    UPDATE "Task" t SET "nextRunAt" = now() + make_interval(mins => t."intervalMinutes")
    WHERE t."id" IN (
      SELECT "id" FROM "Task" WHERE "status" = 'active' AND "nextRunAt" <= now()
      ORDER BY "nextRunAt" FOR UPDATE SKIP LOCKED LIMIT ${limit}
    )
    RETURNING t."id", t."userSub"`;
  let queued = 0;
  for (const task of claimed) {
    const run = await db().taskRun.create({ data: { taskId: task.id, userSub: task.userSub, status: "queued" } });
    const jobId = await enqueueTaskRun(boss, { taskId: task.id, runId: run.id });
    if (jobId) queued += 1;
    // A run of this task is already waiting: this one is not needed.
    else await db().taskRun.delete({ where: { id: run.id } });
  }
  return queued;
}
