import "server-only";
import { db } from "../db";
import { RunStopped } from "./run-stopped";
import { RunHandedBack } from "./run-handed-back";
import { isWorkerStopping } from "./worker-shutdown";

/**
 * Checked before EVERY request the worker makes for a user: the task must be active, its grant active,
 * and this attempt must still own the run. One indexed read; after a revoke is acknowledged no further
 * request leaves for that task, and an attempt that was superseded (its worker was presumed dead) makes
 * none either.
 */
export async function assertRunMayAct(input: { taskId: string; runId: string; leaseId: string }): Promise<void> {
  const [task, run] = await Promise.all([
    db().task.findUnique({ where: { id: input.taskId }, select: { status: true, grant: { select: { status: true } } } }),
    db().taskRun.findUnique({ where: { id: input.runId }, select: { leaseId: true } }),
  ]);
  // Revoking a task alone and revoking its grant both take this task's access away.
  if (!task || task.status === "revoked" || task.grant.status !== "active") throw new RunStopped("stopped: access revoked");
  if (task.status === "paused") throw new RunStopped("stopped: paused");
  if (run?.leaseId !== input.leaseId) throw new RunHandedBack("lease lost");
  if (isWorkerStopping()) throw new RunHandedBack("worker stopping");
}
