import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";
import { appendAuditEvents } from "../../audit/record-event";
import type { TAuditInput } from "../../audit/types";
import { TASK_CATALOG, TASK_TYPES, type TTaskType } from "../../tasks/task-catalog";
import type { TCtx } from "../context";

export const ZTaskTypeSchema = z.enum(TASK_TYPES as [TTaskType, ...TTaskType[]]);
export const ZEnableTaskSchema = z.strictObject({
  type: ZTaskTypeSchema,
  intervalMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .optional(),
  /** Run through this kind of grant; default: the newest active grant that can run the task. */
  mechanism: z.enum(["offline_access", "app_password"]).optional(),
});

/**
 * Enables a task for the caller, bound to their newest active grant that can run it: an OAuth grant whose
 * scopes cover the task's, or an app-password grant (no scopes: it reaches the whole account).
 * Without such a grant it throws Conflict with `details.grantNeeded` (the task type), so the page can offer
 * the grant flow. Re-enabling a revoked task of the same type rebinds it to the current grant.
 */
export async function enableTask(ctx: TCtx, { type, intervalMinutes = 60, mechanism }: z.infer<typeof ZEnableTaskSchema>) {
  const needed = TASK_CATALOG[type].scopes;
  const grant = await db().grant.findFirst({
    where: {
      userSub: ctx.userSub,
      status: "active",
      OR: [{ mechanism: "offline_access", scopes: { hasEvery: [...needed] } }, { mechanism: "app_password" }],
      ...(mechanism ? { mechanism } : {}),
    },
    orderBy: { grantedAt: "desc" },
  });
  if (!grant) throw new AppError("Conflict", `Grant access for ${TASK_CATALOG[type].title} first`, { grantNeeded: type });
  const task = await db().$transaction(async (tx) => {
    const row = await tx.task.upsert({
      where: { userSub_type: { userSub: ctx.userSub, type } },
      create: { userSub: ctx.userSub, type, grantId: grant.id, intervalMinutes, status: "active", nextRunAt: new Date() },
      update: { grantId: grant.id, intervalMinutes, status: "active", stoppedReason: null, nextRunAt: new Date() },
    });
    await appendAuditEvents(tx, [enabledEvent(ctx, type, row.id, grant.id, intervalMinutes, grant.mechanism)]);
    return row;
  });
  return { taskId: task.id };
}

function enabledEvent(
  ctx: TCtx,
  type: TTaskType,
  taskId: string,
  grantId: string,
  intervalMinutes: number,
  grantMechanism: string,
): TAuditInput {
  return {
    actor: ctx.userSub,
    actorType: "user",
    subject: ctx.userSub,
    action: "task.enabled",
    resource: `task:${type}`,
    outcome: "success",
    taskId,
    correlationId: ctx.correlationId,
    mechanism: grantMechanism === "app_password" ? "app-password" : "offline-access",
    details: { grantId, intervalMinutes },
  };
}
