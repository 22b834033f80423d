import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { log } from "../logger";
import { appendAuditEvents } from "../audit/record-event";
import { TASK_JOBS } from "./task-handlers";
import { delegatedNextcloud } from "./delegated-nextcloud";
import { RunStopped } from "./run-stopped";
import { RunHandedBack } from "./run-handed-back";
import { claimTaskRun } from "./claim-task-run";
import { renewRunLease } from "./renew-run-lease";
import { workerClient } from "../oauth/get-oidc-config";
import { processMetrics } from "../metrics/process-metrics";
import { createRunPhaseClock } from "./run-phase-clock";
import { assertNoStopHeardSince } from "./assert-run-may-act";
import type { TTaskType } from "../tasks/task-catalog";

/** Null while the task and its grant are both active (the rule assertRunMayAct applies per request), else why not. */
async function whyTaskMayNotAct(taskId: string): Promise<string | null> {
  const task = await db().task.findUnique({ where: { id: taskId }, select: { status: true, grant: { select: { status: true } } } });
  if (!task || task.status === "revoked" || task.grant.status !== "active") return "stopped: access revoked";
  if (task.status === "paused") return "stopped: paused";
  return null;
}

export type TRunOutcome = "succeeded" | "stopped" | "failed" | "handed-back";

/**
 * Executes one attempt of a TaskRun. Safe to call again for the same run after a worker died mid-way
 * (the queue retries the job): the new attempt takes the run's lease and restarts from the beginning,
 * handlers upsert, so nothing is duplicated, and the old attempt (if it still lives) stops at its next
 * check without writing. Ends as succeeded, failed (error kept, thrown so the queue retries), stopped
 * (revoked or paused, not retried) or handed back (worker stopping: thrown so another worker retries).
 */
export async function runTask(
  runId: string,
  opts: { jobId?: string | null; payload?: unknown } = {},
): Promise<{ status: TRunOutcome; tokenMints: number }> {
  const run = await db().taskRun.findUnique({ where: { id: runId }, include: { task: true } });
  if (!run) return { status: "stopped", tokenMints: 0 };
  const claim = await claimTaskRun(runId, opts.jobId ?? null);
  if (!claim) return { status: run.status === "succeeded" ? "succeeded" : "stopped", tokenMints: 0 };
  const { leaseId, startedAt } = claim;
  const attemptBegan = performance.now();
  const stopRenewing = renewRunLease(runId, leaseId);
  const correlationId = randomUUID();
  const clock = createRunPhaseClock();
  const nc = delegatedNextcloud({
    taskId: run.taskId,
    runId,
    leaseId,
    grantId: run.task.grantId,
    userSub: run.userSub,
    correlationId,
    clock,
  });
  const mine = { id: runId, leaseId };

  const finish = async (wanted: "succeeded" | "stopped" | "failed", extra: { error?: string; summary?: Record<string, unknown> }) => {
    // A revoke acknowledged while the run was in flight: the run made no request after it (each request
    // re-checks), but it did not finish its work either — its history must say it was stopped.
    const stoppedMidRun = wanted === "succeeded" ? await whyTaskMayNotAct(run.taskId) : null;
    const status = stoppedMidRun ? "stopped" : wanted;
    if (stoppedMidRun) extra = { ...extra, error: stoppedMidRun };
    const finishedAt = new Date();
    // The run's end and its audit row commit together (the audit failure policy): whoever sees the run
    // finished sees "task.run" in the trail too.
    const written = await clock.time("audit", () =>
      db().$transaction(async (tx) => {
        const w = await tx.taskRun.updateMany({
          where: mine,
          data: {
            status,
            finishedAt,
            durationMs: finishedAt.getTime() - startedAt.getTime(),
            error: extra.error ?? null,
            summary: (extra.summary ?? undefined) as object | undefined,
            heartbeatAt: null,
          },
        });
        if (w.count === 0) return w;
        await tx.task.update({ where: { id: run.taskId }, data: { lastRunAt: finishedAt } });
        await appendAuditEvents(tx, [
          {
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
          },
        ]);
        return w;
      }),
    );
    // Another attempt took the run over meanwhile: its result is the one that counts.
    if (written.count === 0) return { status: "handed-back" as const, tokenMints: nc.tokenMints() };
    return { status, tokenMints: nc.tokenMints() };
  };

  try {
    const job = TASK_JOBS[run.task.type as TTaskType];
    if (!job) return await finish("failed", { error: `Unknown task type ${run.task.type}` });
    const payload = job.payloadSchema.parse(opts.payload ?? {});
    const summary = await job.handler(payload, {
      nc,
      userSub: run.userSub,
      taskId: run.taskId,
      runId,
      progress: async (done, total) => {
        // A revocation heard since this attempt began ends the run here, before more of its local work.
        await clock.time("check", () =>
          assertNoStopHeardSince({ taskId: run.taskId, runId, leaseId, grantId: run.task.grantId }, attemptBegan),
        );
        await db().taskRun.updateMany({ where: mine, data: { itemsDone: done, itemsTotal: total } });
      },
    });
    return await finish("succeeded", { summary });
  } catch (error) {
    if (error instanceof RunStopped) {
      processMetrics().runStops.inc({ detected_by: error.detectedBy });
      return await finish("stopped", { error: error.reason });
    }
    if (error instanceof RunHandedBack) {
      if (error.reason === "lease lost") return { status: "handed-back", tokenMints: nc.tokenMints() };
      await db().taskRun.updateMany({
        where: mine,
        data: { status: "queued", leaseId: null, heartbeatAt: null, error: "worker stopped; retrying" },
      });
      throw error;
    }
    const message = error instanceof Error ? error.message : "task failed";
    log.warn("task run failed", { runId, taskId: run.taskId, error: message });
    await finish("failed", { error: message });
    throw error;
  } finally {
    stopRenewing();
    for (const [phase, ms] of Object.entries(clock.spentMs())) processMetrics().taskRunPhaseSeconds.inc({ phase }, ms / 1000);
  }
}
