import "server-only";
import { db } from "../../db";
import { describeClient } from "../../format/describe-client";
import { TASK_CATALOG, type TTaskType } from "../../tasks/task-catalog";
import type { TCtx } from "../context";
import { searchAuditEvents } from "../audit/search-audit-events";

export type TRequestRow = {
  at: string;
  method: string;
  path: string;
  status: number | null;
  outcome: string;
  actor: string;
  /** The actor's display name ("Nextcloud MCP background worker"), for people. */
  actorName: string;
  taskId: string | null;
  /** The task's title ("Notes index"), or null when the request belongs to no task of the caller. */
  taskTitle: string | null;
  /** The credential the request went out with: "app-password", "token-exchange", "offline-refresh"… */
  mechanism: string | null;
};

/**
 * "What it did for me": the newest Nextcloud requests made on the caller's behalf, read from the audit
 * trail through its own permission check (a person sees only events whose subject is themselves), with
 * the task and the acting client named in words.
 */
export async function listMyRequests(ctx: TCtx, limit = 25): Promise<TRequestRow[]> {
  // Always the caller's own events, admins included: this is a personal feed, not the audit search.
  const page = await searchAuditEvents(ctx, { action: "nextcloud.request", subject: ctx.userSub, limit });
  const taskIds = [...new Set(page.rows.map((r) => r.taskId).filter((id): id is string => !!id))];
  const tasks = taskIds.length
    ? await db().task.findMany({ where: { id: { in: taskIds }, userSub: ctx.userSub }, select: { id: true, type: true } })
    : [];
  const titles = new Map(tasks.map((t) => [t.id, TASK_CATALOG[t.type as TTaskType]?.title ?? t.type]));
  return page.rows.map((r) => {
    const [method = "", ...rest] = (r.resource ?? "").split(" ");
    const status = (r.details as { status?: unknown } | null)?.status;
    return {
      at: r.at,
      method,
      path: rest.join(" "),
      status: typeof status === "number" ? status : null,
      outcome: r.errorCode ? `${r.outcome} (${r.errorCode})` : r.outcome,
      actor: r.actor,
      actorName: describeClient(r.actor),
      taskId: r.taskId,
      taskTitle: r.taskId ? (titles.get(r.taskId) ?? null) : null,
      mechanism: r.mechanism,
    };
  });
}
