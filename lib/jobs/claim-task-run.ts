import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";

/**
 * Makes this attempt the owner of a run (a fresh lease id, heartbeat now on the database clock) and
 * resets its progress. A run that already finished is not claimed (null). Taking over a run another
 * attempt still holds is safe: that attempt sees the new lease at its next check and stops.
 */
export async function claimTaskRun(runId: string, jobId: string | null): Promise<{ leaseId: string; startedAt: Date } | null> {
  const leaseId = randomUUID();
  const rows = await db().$queryRaw<{ startedAt: Date }[]>`
    UPDATE "TaskRun" SET "status" = 'running', "leaseId" = ${leaseId}, "jobId" = ${jobId}, "heartbeatAt" = now(),
      "startedAt" = now(), "itemsDone" = 0, "itemsTotal" = NULL, "error" = NULL, "finishedAt" = NULL, "durationMs" = NULL
    WHERE "id" = ${runId} AND "status" IN ('queued', 'running', 'failed')
    RETURNING "startedAt"`;
  return rows[0] ? { leaseId, startedAt: rows[0].startedAt } : null;
}
