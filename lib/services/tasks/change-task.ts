import "server-only";
import { z } from "zod";
import { ZIdSchema } from "../../validation/z-id-schema";
import type { Prisma } from "@prisma/client";
import { db } from "../../db";
import { AppError } from "../../errors";
import { appendAuditEvents } from "../../audit/record-event";
import type { TCtx } from "../context";
import { revokeGrant } from "../grants/revoke-grant";
import { publishRevocation } from "../../grants/publish-revocation";

export const ZChangeTaskSchema = z.discriminatedUnion(
  "action",
  [
    z.object({ action: z.literal("run-now"), taskId: ZIdSchema }),
    z.object({ action: z.literal("pause"), taskId: ZIdSchema }),
    z.object({ action: z.literal("resume"), taskId: ZIdSchema }),
    z.object({ action: z.literal("revoke"), taskId: ZIdSchema }),
    z.object({
      action: z.literal("interval"),
      taskId: ZIdSchema,
      intervalMinutes: z
        .number()
        .int()
        .min(5)
        .max(7 * 24 * 60),
    }),
  ],
  { error: "action must be run-now, pause, resume, revoke or interval" },
);
export type TChangeTaskInput = z.infer<typeof ZChangeTaskSchema>;

/**
 * Run now, pause, resume, change interval or revoke one of the caller's tasks. Pause and revoke take
 * effect before the next Nextcloud request of a running run (the worker checks before each one).
 * Revoking a task alone also revokes its grant at Keycloak when no other active task uses that grant.
 * Another person's task is NotFound and nothing changes.
 */
export async function changeTask(ctx: TCtx, input: TChangeTaskInput): Promise<{ status: string }> {
  const task = await db().task.findFirst({ where: { id: input.taskId, userSub: ctx.userSub }, include: { grant: true } });
  if (!task) throw new AppError("NotFound", "No such task");
  if (task.status === "revoked" && input.action !== "revoke") {
    throw new AppError("Conflict", "This task was revoked; enable it again to use it");
  }
  let data: Prisma.TaskUpdateInput = {};
  switch (input.action) {
    case "run-now":
      if (task.status !== "active") throw new AppError("Conflict", "Resume the task before running it");
      if (task.grant.status !== "active") throw new AppError("ConsentRevoked", "The task's access was revoked");
      data = { nextRunAt: new Date() };
      break;
    case "pause":
      data = { status: "paused", nextRunAt: null, stoppedReason: "paused by the user" };
      break;
    case "resume":
      if (task.grant.status !== "active") throw new AppError("ConsentRevoked", "The task's access was revoked");
      data = { status: "active", stoppedReason: null, nextRunAt: new Date(Date.now() + task.intervalMinutes * 60_000) };
      break;
    case "interval":
      data = {
        intervalMinutes: input.intervalMinutes,
        nextRunAt: task.status === "active" ? new Date(Date.now() + input.intervalMinutes * 60_000) : null,
      };
      break;
    case "revoke":
      data = { status: "revoked", nextRunAt: null, stoppedReason: "revoked by the user" };
      break;
  }
  // A pause or revoke is announced to running workers in the same transaction (delivered on commit), and
  // the change and its audit row commit together.
  const updated = await db().$transaction(async (tx) => {
    const row = await tx.task.update({ where: { id: task.id }, data });
    if (input.action === "pause" || input.action === "revoke") {
      await publishRevocation(tx, { taskIds: [task.id], reason: input.action === "pause" ? "paused" : "revoked" });
    }
    await appendAuditEvents(tx, [
      {
        actor: ctx.userSub,
        actorType: "user",
        subject: ctx.userSub,
        action: `task.${input.action}`,
        resource: `task:${task.type}`,
        outcome: "success",
        taskId: task.id,
        correlationId: ctx.correlationId,
      },
    ]);
    return row;
  });
  if (input.action === "revoke" && task.grant.status === "active") {
    const others = await db().task.count({ where: { grantId: task.grantId, id: { not: task.id }, status: { not: "revoked" } } });
    if (others === 0) await revokeGrant(ctx, { grantId: task.grantId }, { reason: `revoked with the task ${task.type}` });
  }
  return { status: updated.status };
}
