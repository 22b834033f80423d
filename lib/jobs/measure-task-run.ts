import "server-only";
import { db } from "../db";
import { processMetrics } from "../metrics/process-metrics";
import { recordTaskRunMetric } from "../metrics/record-task-run-metric";
import { RunHandedBack } from "./run-handed-back";

/**
 * Wraps one task-run attempt for operators: counts it in flight while it runs (the heartbeat reports
 * that figure), then records its outcome and duration by task type, whether it returned or threw. The
 * outcome is the attempt's own (`runTask`'s status), "handed-back" when it gave the run back to the queue,
 * "failed" for any other error; the error is rethrown untouched so pg-boss retries as before.
 */
export async function measureTaskRun<T extends { status: string }>(runId: string, attempt: () => Promise<T>): Promise<T> {
  const inFlight = processMetrics().inFlight;
  const started = performance.now();
  inFlight.count += 1;
  let outcome = "failed";
  try {
    const result = await attempt();
    outcome = result.status;
    return result;
  } catch (error) {
    outcome = error instanceof RunHandedBack ? "handed-back" : "failed";
    throw error;
  } finally {
    inFlight.count -= 1;
    const run = await db()
      .taskRun.findUnique({ where: { id: runId }, select: { task: { select: { type: true } } } })
      .catch(() => null);
    recordTaskRunMetric(run?.task.type ?? "unknown", outcome, performance.now() - started);
  }
}
