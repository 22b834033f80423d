import { metricLabel } from "./metric-label";
import { processMetrics } from "./process-metrics";

/**
 * Counts one reported token-module event: token-endpoint calls (`token.*`) by operation, outcome and the
 * provider's error code, and service-account refusals. Other actions (Nextcloud requests have their own
 * counter) are ignored. Never sees more than the action, outcome and error code.
 */
export function recordOAuthMetric(action: string, outcome: string, errorCode: string | null | undefined): void {
  const m = processMetrics();
  if (action === "service_account.refused") {
    m.serviceAccountRefusals.inc();
    return;
  }
  if (!action.startsWith("token.")) return;
  m.oauthRequests.inc({
    operation: metricLabel(action.slice("token.".length), "unknown"),
    outcome: metricLabel(outcome, "unknown"),
    error_code: outcome === "success" ? "none" : metricLabel(errorCode, "unknown"),
  });
}
