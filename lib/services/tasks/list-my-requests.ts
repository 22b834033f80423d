import "server-only";
import { db } from "../../db";
import { describeClient } from "../../format/describe-client";
import { TASK_CATALOG, type TTaskType } from "../../tasks/task-catalog";
import type { TCtx } from "../context";
import { searchAuditEvents } from "../audit/search-audit-events";

export type TRequestRow = {
  /** The audit row's sequence number: a stable key, and what the "Older" cursor points below. */
  seq: string;
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

export type TRequestPage = {
  rows: TRequestRow[];
  /** Pass back as `cursor` for the next older page; null when there is none. */ nextCursor: string | null;
};

/**
 * "What it did for me": the Nextcloud requests made on the caller's behalf, newest first, `limit` at a time
 * (older pages through `cursor`), read from the audit trail through its own permission check (a person
 * sees only events whose subject is themselves), with the task and the acting client named in words.
 */
export async function listMyRequests(ctx: TCtx, input: { limit?: number; cursor?: string } = {}): Promise<TRequestPage> {
  // Always the caller's own events, admins included: this is a personal feed, not the audit search.
  const page = await searchAuditEvents(ctx, {
    action: "nextcloud.request",
    subject: ctx.userSub,
    limit: input.limit ?? 25,
    cursor: input.cursor,
  });
  const taskIds = [...new Set(page.rows.map((r) => r.taskId).filter((id): id is string => !!id))];
  const tasks = taskIds.length
    ? await db().task.findMany({ where: { id: { in: taskIds }, userSub: ctx.userSub }, select: { id: true, type: true } })
    : [];
  const titles = new Map(tasks.map((t) => [t.id, TASK_CATALOG[t.type as TTaskType]?.title ?? t.type]));
  const rows = page.rows.map((r): TRequestRow => {
    const [method = "", ...rest] = (r.resource ?? "").split(" ");
    const status = (r.details as { status?: unknown } | null)?.status;
    return {
      seq: String(r.seq),
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
  return { rows, nextCursor: page.nextCursor };
}
