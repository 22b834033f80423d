import "server-only";
import type { Prisma } from "@prisma/client";
import { TASK_CATALOG, type TTaskType } from "../tasks/task-catalog";

/**
 * Stops a grant's tasks inside the grant transition's transaction (so no run starts between the two).
 * With `onlyNeeding`, only the tasks whose type needs one of those scopes stop (narrowed access); the
 * running attempt of a stopped task ends before its next Nextcloud request (the worker re-checks).
 */
export async function stopGrantTasks(
  tx: Prisma.TransactionClient,
  grantId: string,
  reason: string,
  onlyNeeding?: string[],
): Promise<string[]> {
  const tasks = await tx.task.findMany({ where: { grantId, status: { not: "revoked" } }, select: { id: true, type: true } });
  const stopped = tasks.filter(
    (t) => !onlyNeeding || (TASK_CATALOG[t.type as TTaskType]?.scopes ?? []).some((s) => onlyNeeding.includes(s)),
  );
  if (stopped.length === 0) return [];
  await tx.task.updateMany({
    where: { id: { in: stopped.map((t) => t.id) } },
    data: { status: "revoked", stoppedReason: reason, nextRunAt: null },
  });
  return stopped.map((t) => t.type);
}
