import { metricLabel } from "./metric-label";
import { processMetrics } from "./process-metrics";

/** Counts one delegated Nextcloud request by method and HTTP status ("network", "refused" when none). */
export function recordNextcloudRequestMetric(method: string, status: number | "network" | "refused"): void {
  processMetrics().nextcloudRequests.inc({ method: metricLabel(method, "unknown"), status: String(status) });
}
