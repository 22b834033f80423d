import "server-only";
import type { TAuditInput, TAuditRecorder } from "../audit/types";
import { log, redact } from "../logger";
import { recordOAuthMetric } from "../metrics/record-oauth-metric";
import { processMetrics } from "../metrics/process-metrics";

/** What every lib/oauth operation needs from its caller: where to report, and which request it serves. */
export type TOAuthCallContext = {
  recorder: TAuditRecorder;
  correlationId: string;
  /** The user the call is on behalf of, when the caller knows it (e.g. the grant's owner). */
  subject?: string | null;
  taskId?: string | null;
};

/**
 * Sends one audit event and never lets a recorder failure change the outcome of the operation being
 * reported (the failure is logged and counted instead). Details pass through redaction as a last line of
 * defence. Token calls and refusals are also counted for Prometheus (action, outcome and error code only).
 */
export async function reportOAuthEvent(
  ctx: TOAuthCallContext,
  event: Omit<TAuditInput, "correlationId" | "taskId" | "actorType"> & { actorType?: TAuditInput["actorType"] },
): Promise<void> {
  const input: TAuditInput = {
    actorType: "client",
    taskId: ctx.taskId ?? null,
    correlationId: ctx.correlationId,
    ...event,
    subject: event.subject ?? ctx.subject ?? null,
    details: event.details ? (redact(event.details) as Record<string, unknown>) : undefined,
  };
  recordOAuthMetric(input.action, input.outcome, input.errorCode);
  try {
    await ctx.recorder(input);
  } catch (err) {
    processMetrics().auditWriteFailures.inc();
    log.error("audit recorder failed", { action: input.action, correlationId: input.correlationId, err });
  }
}
