import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The metrics every process (app and worker) counts in memory; names follow Prometheus conventions. */
export type TProcessMetrics = {
  registry: Registry;
  taskRuns: Counter<"type" | "outcome">;
  taskRunDuration: Histogram<"type" | "outcome">;
  runsInFlight: Gauge;
  nextcloudRequests: Counter<"method" | "status">;
  oauthRequests: Counter<"operation" | "outcome" | "error_code">;
  serviceAccountRefusals: Counter;
  auditWriteFailures: Counter;
  taskRunPhaseSeconds: Counter<"phase">;
  runStops: Counter<"detected_by">;
  inFlight: { count: number };
};

// Kept on globalThis: Next may load this module once per route bundle, and dev reloads modules; the
// counters of one process must live in one registry whatever imported them.
const holder = globalThis as unknown as { ncddProcessMetrics?: TProcessMetrics };

/**
 * The process's registry and its counters, created once. Labels carry only bounded, non-secret values
 * (task type, outcome, HTTP status, provider error code): never a token, a user or a path.
 */
export function processMetrics(): TProcessMetrics {
  if (holder.ncddProcessMetrics) return holder.ncddProcessMetrics;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const inFlight = { count: 0 };
  const registers = [registry];
  const m: TProcessMetrics = {
    registry,
    inFlight,
    taskRuns: new Counter({
      name: "ncdd_task_runs_total",
      help: "Task run attempts finished by this process, by task type and outcome (succeeded, failed, stopped, handed-back).",
      labelNames: ["type", "outcome"],
      registers,
    }),
    taskRunDuration: new Histogram({
      name: "ncdd_task_run_duration_seconds",
      help: "Wall time of task run attempts in this process, by task type and outcome.",
      labelNames: ["type", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
      registers,
    }),
    runsInFlight: new Gauge({
      name: "ncdd_worker_runs_in_flight",
      help: "Task runs this process is executing right now.",
      registers,
      collect() {
        this.set(inFlight.count);
      },
    }),
    nextcloudRequests: new Counter({
      name: "ncdd_nextcloud_requests_total",
      help: "Delegated requests to Nextcloud, by method and HTTP status (network = no answer, refused = stopped before sending).",
      labelNames: ["method", "status"],
      registers,
    }),
    oauthRequests: new Counter({
      name: "ncdd_oauth_token_requests_total",
      help: "Calls to Keycloak's token endpoints (refresh, exchange, revoke, introspect, client_credentials) by outcome and provider error code.",
      labelNames: ["operation", "outcome", "error_code"],
      registers,
    }),
    serviceAccountRefusals: new Counter({
      name: "ncdd_service_account_refusals_total",
      help: "Service-account tokens refused before they could reach Nextcloud.",
      registers,
    }),
    auditWriteFailures: new Counter({
      name: "ncdd_audit_write_failures_total",
      help: "Audit events of token and Nextcloud calls that could not be written (the call itself went on).",
      registers,
    }),
    taskRunPhaseSeconds: new Counter({
      name: "ncdd_task_run_phase_seconds_total",
      help: "Time task runs of this process spent per phase (check, token, nextcloud, audit); the rest of a run is its database work and code.",
      labelNames: ["phase"],
      registers,
    }),
    runStops: new Counter({
      name: "ncdd_task_run_stops_total",
      help: "Runs stopped because access ended, by what found it: notice (pushed), check (per-request database check), token (token module).",
      labelNames: ["detected_by"],
      registers,
    }),
  };
  holder.ncddProcessMetrics = m;
  return m;
}
