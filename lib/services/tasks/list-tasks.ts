import "server-only";
import { db } from "../../db";
import { TASK_CATALOG, TASK_TYPES, tasksReachableBy, type TTaskType } from "../../tasks/task-catalog";
import type { TCtx } from "../context";

export type TRunView = {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed" | "stopped";
  itemsDone: number;
  itemsTotal: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  summary: unknown;
};

export type TTaskView = {
  type: TTaskType;
  title: string;
  description: string;
  scopes: readonly string[];
  grantCovers: boolean;
  task: null | {
    id: string;
    status: "active" | "paused" | "revoked";
    intervalMinutes: number;
    nextRunAt: string | null;
    lastRunAt: string | null;
    stoppedReason: string | null;
    grantId: string;
    grantStatus: string;
    runs: TRunView[];
  };
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Every task type with the caller's task (if any), its latest runs, and whether a grant covers it. */
export async function listTasks(ctx: TCtx): Promise<TTaskView[]> {
  const [tasks, grants] = await Promise.all([
    db().task.findMany({
      where: { userSub: ctx.userSub },
      include: { grant: { select: { status: true } }, runs: { orderBy: { createdAt: "desc" }, take: 10 } },
    }),
    db().grant.findMany({ where: { userSub: ctx.userSub, status: "active" }, select: { scopes: true, mechanism: true } }),
  ]);
  const covered = new Set(grants.flatMap((g) => tasksReachableBy(g)));
  return TASK_TYPES.map((type) => {
    const t = tasks.find((x) => x.type === type);
    return {
      type,
      title: TASK_CATALOG[type].title,
      description: TASK_CATALOG[type].description,
      scopes: TASK_CATALOG[type].scopes,
      grantCovers: covered.has(type),
      task: t
        ? {
            id: t.id,
            status: t.status,
            intervalMinutes: t.intervalMinutes,
            nextRunAt: iso(t.nextRunAt),
            lastRunAt: iso(t.lastRunAt),
            stoppedReason: t.stoppedReason,
            grantId: t.grantId,
            grantStatus: t.grant.status,
            runs: t.runs.map((r) => ({
              id: r.id,
              status: r.status,
              itemsDone: r.itemsDone,
              itemsTotal: r.itemsTotal,
              startedAt: iso(r.startedAt),
              finishedAt: iso(r.finishedAt),
              durationMs: r.durationMs,
              error: r.error,
              summary: r.summary,
            })),
          }
        : null,
    };
  });
}
