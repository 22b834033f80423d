import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { log } from "../logger";
import { auditRecorder } from "../audit/record-event";
import { TASK_HANDLERS } from "./task-handlers";
import { delegatedNextcloud } from "./delegated-nextcloud";
import { RunStopped } from "./run-stopped";
import { workerClient } from "../oauth/get-oidc-config";
import type { TTaskType } from "../tasks/task-catalog";

/**
 * Executes one TaskRun. Safe to call again for the same run after a worker died mid-way (the queue
 * retries expired jobs): the run restarts from the beginning, and handlers upsert, so nothing is
 * duplicated. Ends as succeeded, failed (error kept, retried by the queue) or stopped (not retried).
 */
export async function runTask(runId: string): Promise<{ status: "succeeded" | "stopped" | "failed"; tokenMints: number }> {
  const run = await db().taskRun.findUnique({ where: { id: runId }, include: { task: true } });
  if (!run) return { status: "stopped", tokenMints: 0 };
  if (run.status === "succeeded" || run.status === "stopped") return { status: run.status, tokenMints: 0 };
  const correlationId = randomUUID();
  const started = new Date();
  await db().taskRun.update({ where: { id: runId }, data: { status: "running", startedAt: started, itemsDone: 0, itemsTotal: null, error: null } });
  const nc = delegatedNextcloud({ taskId: run.taskId, grantId: run.task.grantId, userSub: run.userSub, correlationId });
  const finish = async (status: "succeeded" | "stopped" | "failed", extra: { error?: string; summary?: Record<string, unknown> }) => {
    const finishedAt = new Date();
    await db().taskRun.update({
      where: { id: runId },
      data: { status, finishedAt, durationMs: finishedAt.getTime() - started.getTime(), error: extra.error ?? null, summary: (extra.summary ?? undefined) as object | undefined },
    });
    await db().task.update({ where: { id: run.taskId }, data: { lastRunAt: finishedAt } });
    await auditRecorder({
      actor: workerClient().clientId,
      actorType: "client",
      subject: run.userSub,
      action: "task.run",
      resource: `task:${run.task.type}`,
      outcome: status === "succeeded" ? "success" : status === "stopped" ? "refused" : "failure",
      taskId: run.taskId,
      correlationId,
      mechanism: "worker",
      details: { runId, status, error: extra.error ?? null, tokenMints: nc.tokenMints() },
    }).catch((error) => log.error("audit failed", { error }));
    return { status, tokenMints: nc.tokenMints() };
  };
  try {
    const handler = TASK_HANDLERS[run.task.type as TTaskType];
    if (!handler) return finish("failed", { error: `Unknown task type ${run.task.type}` });
    const summary = await handler({
      nc,
      userSub: run.userSub,
      taskId: run.taskId,
      runId,
      progress: async (done, total) => {
        await db().taskRun.update({ where: { id: runId }, data: { itemsDone: done, itemsTotal: total } });
      },
    });
    return finish("succeeded", { summary });
  } catch (error) {
    if (error instanceof RunStopped) return finish("stopped", { error: error.reason });
    const message = error instanceof Error ? error.message : "task failed";
    log.warn("task run failed", { runId, taskId: run.taskId, error: message });
    await finish("failed", { error: message });
    throw error;
  }
}
