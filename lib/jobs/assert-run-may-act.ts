import "server-only";
import { db } from "../db";
import { heardStopped } from "../grants/revocation-hints";
import { RunStopped, type TStopDetectedBy } from "./run-stopped";
import { RunHandedBack } from "./run-handed-back";
import { isWorkerStopping } from "./worker-shutdown";

type TMayActRow = { task_status: string; grant_status: string; lease_id: string | null };

export type TRunAttempt = { taskId: string; runId: string; leaseId: string; grantId?: string };

/**
 * Checked before EVERY request the worker makes for a user: the task must be active, its grant active,
 * and this attempt must still own the run. First the grant revocations this process heard pushed (NOTIFY,
 * lib/jobs/revocation-listener.ts) — such a run ends without a query — then one
 * indexed read as the backstop, so after a revoke is acknowledged no further request leaves for that task
 * even if the notice is late or the listener is down, and a superseded attempt makes no request either.
 */
export async function assertRunMayAct(input: TRunAttempt, detectedBy: TStopDetectedBy = "check"): Promise<void> {
  // A grant never becomes active again: a pushed grant stop needs no query. A task may be resumed, so a
  // pushed task stop only means "ask the database", which the backstop below does anyway.
  if (input.grantId && heardStopped({ grantId: input.grantId }) !== null) throw new RunStopped("stopped: access revoked", "notice");
  const [row] = await db().$queryRaw<TMayActRow[]>`
    SELECT t.status::text AS task_status, g.status::text AS grant_status,
           (SELECT r."leaseId" FROM "TaskRun" r WHERE r.id = ${input.runId}) AS lease_id
    FROM "Task" t JOIN "Grant" g ON g.id = t."grantId"
    WHERE t.id = ${input.taskId}`;
  // Revoking a task alone and revoking its grant both take this task's access away.
  if (!row || row.task_status === "revoked" || row.grant_status !== "active") throw new RunStopped("stopped: access revoked", detectedBy);
  if (row.task_status === "paused") throw new RunStopped("stopped: paused", detectedBy);
  if (row.lease_id !== input.leaseId) throw new RunHandedBack("lease lost");
  if (isWorkerStopping()) throw new RunHandedBack("worker stopping");
}

/**
 * Called when the answer to a request arrives. When this process heard, since `since` (performance.now()
 * taken before the request's check), that the run's grant or task stopped, the run stops here rather than
 * at its next request: a grant notice is final; a task notice is confirmed by the same database check
 * (a task may have been resumed since). Without such a notice it costs nothing (no query).
 */
export async function assertNoStopHeardSince(input: TRunAttempt, since: number): Promise<void> {
  const heard = heardStopped({ taskId: input.taskId, grantId: input.grantId });
  if (heard === null || heard < since) return;
  await assertRunMayAct(input, "notice");
}
