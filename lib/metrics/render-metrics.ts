import "server-only";
import { clusterMetrics } from "./cluster-metrics";
import { processMetrics } from "./process-metrics";

/**
 * The Prometheus text exposition of this process: its own counters, plus — for the app — the gauges of
 * the shared state read from the database (workers expose only what they count themselves).
 */
export async function renderMetrics(scope: "app" | "worker"): Promise<{ contentType: string; body: string }> {
  const own = processMetrics().registry;
  const parts = [await own.metrics()];
  if (scope === "app") parts.push(await clusterMetrics().metrics());
  return { contentType: own.contentType, body: parts.join("\n") };
}
