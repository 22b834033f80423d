import { metricLabel } from "./metric-label";
import { processMetrics } from "./process-metrics";

/** Counts one finished task-run attempt and observes its duration (see lib/jobs/measure-task-run.ts). */
export function recordTaskRunMetric(type: string, outcome: string, durationMs: number): void {
  const labels = { type: metricLabel(type, "unknown"), outcome: metricLabel(outcome, "unknown") };
  const m = processMetrics();
  m.taskRuns.inc(labels);
  m.taskRunDuration.observe(labels, Math.max(0, durationMs) / 1000);
}
