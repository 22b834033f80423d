import "server-only";
import { db } from "../db";
import { RunStopped } from "./run-stopped";

/**
 * Checked before EVERY request the worker makes for a user: the task must be active and its grant
 * active. One indexed read; after a revoke is acknowledged no further request leaves for that task.
 */
export async function assertTaskMayAct(taskId: string): Promise<void> {
  const task = await db().task.findUnique({ where: { id: taskId }, select: { status: true, grant: { select: { status: true } } } });
  // Revoking a task alone and revoking its grant both take this task's access away.
  if (!task || task.status === "revoked" || task.grant.status !== "active") throw new RunStopped("stopped: access revoked");
  if (task.status === "paused") throw new RunStopped("stopped: paused");
}
