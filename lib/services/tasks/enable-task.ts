import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";
import { appendAuditEvents } from "../../audit/record-event";
import type { TAuditInput } from "../../audit/types";
import { TASK_CATALOG, TASK_TYPES, type TTaskType } from "../../tasks/task-catalog";
import type { TCtx } from "../context";

export const ZTaskTypeSchema = z.enum(TASK_TYPES as [TTaskType, ...TTaskType[]]);
export const ZEnableTaskSchema = z.strictObject({ type: ZTaskTypeSchema, intervalMinutes: z.number().int().min(5).max(7 * 24 * 60).optional() });

/**
 * Enables a task for the caller, bound to their newest active grant that covers the task's scopes.
 * Without such a grant it throws Conflict with `details.grantNeeded` (the task type), so the page can offer
 * the grant flow. Re-enabling a revoked task of the same type rebinds it to the current grant.
 */
export async function enableTask(ctx: TCtx, { type, intervalMinutes = 60 }: z.infer<typeof ZEnableTaskSchema>) {
  const needed = TASK_CATALOG[type].scopes;
  const grant = await db().grant.findFirst({
    where: { userSub: ctx.userSub, status: "active", scopes: { hasEvery: [...needed] } },
    orderBy: { grantedAt: "desc" },
  });
  if (!grant) throw new AppError("Conflict", `Grant access for ${TASK_CATALOG[type].title} first`, { grantNeeded: type });
  const task = await db().$transaction(async (tx) => {
    const row = await tx.task.upsert({
      where: { userSub_type: { userSub: ctx.userSub, type } },
      create: { userSub: ctx.userSub, type, grantId: grant.id, intervalMinutes, status: "active", nextRunAt: new Date() },
      update: { grantId: grant.id, intervalMinutes, status: "active", stoppedReason: null, nextRunAt: new Date() },
    });
    await appendAuditEvents(tx, [enabledEvent(ctx, type, row.id, grant.id, intervalMinutes)]);
    return row;
  });
  return { taskId: task.id };
}

function enabledEvent(ctx: TCtx, type: TTaskType, taskId: string, grantId: string, intervalMinutes: number): TAuditInput {
  return {
    actor: ctx.userSub,
    actorType: "user",
    subject: ctx.userSub,
    action: "task.enabled",
    resource: `task:${type}`,
    outcome: "success",
    taskId,
    correlationId: ctx.correlationId,
    mechanism: "offline-access",
    details: { grantId, intervalMinutes },
  };
}
