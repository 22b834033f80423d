import "server-only";
import { Counter, Gauge, Registry } from "prom-client";
import { db } from "../db";
import { log } from "../logger";
import { readAuditCheckpointAt } from "./audit-checkpoint-source";
import { readQueueDepth } from "./read-queue-depth";
import { WORKER_GONE_AFTER_SECONDS } from "./worker-liveness";

const GRANT_STATES = ["active", "revoking", "revoked", "revoked_at_provider"] as const;

const holder = globalThis as unknown as { ncddClusterMetrics?: Registry };

/**
 * Runs one scrape-time read; a failure is logged and never fails the scrape: a labelled metric then has
 * no samples, an unlabelled one reads NaN ("unknown", which no threshold alert mistakes for a value).
 */
async function guarded(name: string, metric: Gauge | Counter, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    log.warn("metrics: could not read from the database", { metric: name, error: error instanceof Error ? error.message : String(error) });
    if (metric instanceof Gauge && (metric as unknown as { labelNames: string[] }).labelNames.length === 0) metric.set(Number.NaN);
  }
}

/**
 * Gauges of the shared state every process sees alike (grants, outbox, queue, workers, audit), read from
 * PostgreSQL at scrape time. Exposed by the app only, so a cluster-wide figure is never counted once per
 * worker. Each read is a small aggregate over an indexed column.
 */
export function clusterMetrics(): Registry {
  if (holder.ncddClusterMetrics) return holder.ncddClusterMetrics;
  const registry = new Registry();
  const registers = [registry];
  new Gauge({
    name: "ncdd_grants",
    help: "Offline-access grants by state.",
    labelNames: ["state"],
    registers,
    async collect() {
      this.reset();
      await guarded("ncdd_grants", this, async () => {
        const rows = await db().grant.groupBy({ by: ["status"], _count: { _all: true } });
        for (const state of GRANT_STATES) this.set({ state }, rows.find((r) => r.status === state)?._count._all ?? 0);
      });
    },
  });
  new Gauge({
    name: "ncdd_revocations",
    help: "Revocation outbox rows by status (pending = Keycloak has not confirmed yet).",
    labelNames: ["status"],
    registers,
    async collect() {
      this.reset();
      await guarded("ncdd_revocations", this, async () => {
        const rows = await db().revocation.groupBy({ by: ["status"], _count: { _all: true } });
        for (const status of ["pending", "confirmed"] as const)
          this.set({ status }, rows.find((r) => r.status === status)?._count._all ?? 0);
      });
    },
  });
  new Gauge({
    name: "ncdd_revocation_outbox_oldest_age_seconds",
    help: "Age of the oldest revocation still waiting for Keycloak's confirmation (0 when none waits).",
    registers,
    async collect() {
      this.reset();
      await guarded("ncdd_revocation_outbox_oldest_age_seconds", this, async () => {
        const [row] = await db().$queryRaw<{ age: number | null }[]>`
          SELECT EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - min("requestedAt"))::float8 AS age FROM "Revocation" WHERE "status" = 'pending'`;
        this.set(Math.max(0, row?.age ?? 0));
      });
    },
  });
  new Gauge({
    name: "ncdd_task_queue_jobs",
    help: "Jobs of the task-run queue (pg-boss) by state: created and retry are waiting, active are running.",
    labelNames: ["state"],
    registers,
    async collect() {
      this.reset();
      await guarded("ncdd_task_queue_jobs", this, async () => {
        const depth = await readQueueDepth();
        if (!depth) return;
        for (const [state, n] of Object.entries(depth)) this.set({ state }, n);
      });
    },
  });
  new Gauge({
    name: "ncdd_workers_live",
    help: `Worker processes whose heartbeat is younger than ${WORKER_GONE_AFTER_SECONDS} s.`,
    registers,
    async collect() {
      this.reset();
      await guarded("ncdd_workers_live", this, async () => {
        const [row] = await db().$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM "WorkerHeartbeat" WHERE "lastBeatAt" > now() - make_interval(secs => ${WORKER_GONE_AFTER_SECONDS})`;
        this.set(row?.n ?? 0);
      });
    },
  });
  new Gauge({
    name: "ncdd_worker_last_heartbeat_age_seconds",
    help: "Seconds since the newest heartbeat of any worker (NaN when no worker row exists: none ever ran, or all stopped cleanly).",
    registers,
    async collect() {
      this.reset();
      await guarded("ncdd_worker_last_heartbeat_age_seconds", this, async () => {
        const [row] = await db().$queryRaw<{ age: number | null }[]>`
          SELECT EXTRACT(EPOCH FROM now() - max("lastBeatAt"))::float8 AS age FROM "WorkerHeartbeat"`;
        this.set(row?.age === null || row?.age === undefined ? Number.NaN : Math.max(0, row.age));
      });
    },
  });
  new Counter({
    name: "ncdd_audit_rows_written_total",
    help: "Rows appended to the audit trail since it began (its highest sequence number).",
    registers,
    async collect() {
      await guarded("ncdd_audit_rows_written_total", this, async () => {
        const [row] = await db().$queryRaw<{ seq: bigint | null }[]>`SELECT max("seq") AS seq FROM "AuditEvent"`;
        this.reset();
        this.inc(Number(row?.seq ?? 0));
      });
    },
  });
  new Gauge({
    name: "ncdd_audit_checkpoint_age_seconds",
    help: "Age of the newest signed audit checkpoint (NaN when no checkpoint store exists or it holds none yet).",
    registers,
    async collect() {
      this.reset();
      await guarded("ncdd_audit_checkpoint_age_seconds", this, async () => {
        const at = await readAuditCheckpointAt();
        this.set(!at ? Number.NaN : Math.max(0, (Date.now() - at.getTime()) / 1000));
      });
    },
  });
  holder.ncddClusterMetrics = registry;
  return registry;
}
