/**
 * The background worker: its own process (`npm run worker`), sharing work with any number of others
 * through pg-boss on PostgreSQL. It runs tasks for users (never as itself), keeps due tasks queued,
 * hands the runs of dead workers back to the queue (stale heartbeat), works the revocation outbox until
 * Keycloak confirms, and sweeps grant health. On SIGTERM/SIGINT its runs in flight go back to the queue
 * at their next check, for another worker to redo.
 * Run with `--conditions=react-server` so the "server-only" markers of shared modules resolve.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { env } from "../env";
import { log } from "../logger";
import { db } from "../db";
import { startTaskQueue } from "./task-queue";
import { workTaskRuns } from "./task-run-job";
import { scheduleDueTasks } from "./schedule-due-tasks";
import { reclaimLostRuns } from "./reclaim-lost-runs";
import { beginWorkerShutdown } from "./worker-shutdown";
import { processRevocationOutbox } from "../grants/confirm-revocation";
import { checkGrants, grantsDueForCheck } from "../grants/check-grants";
import { startWorkerOps } from "./start-worker-ops";
import { writeAuditCheckpoint } from "../audit/write-checkpoint";

function every(ms: number, name: string, fn: () => Promise<unknown>) {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await fn();
    } catch (error) {
      log.warn(`${name} failed`, { error });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), ms);
  return () => clearInterval(timer);
}

const e = env();
const boss = await startTaskQueue();
await workTaskRuns(boss, e.WORKER_CONCURRENCY);
const ops = await startWorkerOps(boss, e);
const stops = [
  every(1000, "scheduler", () => scheduleDueTasks(boss)),
  every(2000, "lost-run reclaimer", () => reclaimLostRuns(boss, e.WORKER_LEASE_SECONDS)),
  every(3000, "revocation outbox", () => processRevocationOutbox()),
  // Back-channel re-checks are due within seconds; every other grant is re-checked once its last refresh
  // is GRANT_HEALTH_SECONDS old, so a revocation Keycloak sends no logout for is noticed within that time.
  every(1000, "grant health", async () => {
    const due = await grantsDueForCheck(e.GRANT_HEALTH_SECONDS * 1000);
    if (due.length) await checkGrants(due, randomUUID());
  }),
  every(e.AUDIT_CHECKPOINT_INTERVAL_SECONDS * 1000, "audit checkpoint", () => writeAuditCheckpoint()),
];
log.info("worker started", {
  concurrency: e.WORKER_CONCURRENCY,
  tokenExchange: e.WORKER_TOKEN_EXCHANGE,
  pid: process.pid,
  httpPort: ops.httpPort,
});

let stopping: Promise<void> | null = null;

// The signal often arrives twice (the terminal's process group and tsx relaying it): the second must not
// cut the first's graceful stop short.
function shutdown(signal: string): Promise<void> {
  stopping ??= (async () => {
    log.info("worker stopping", { signal });
    beginWorkerShutdown();
    stops.forEach((stop) => stop());
    await boss.stop({ graceful: true, timeout: 10_000 }).catch(() => undefined);
    await ops.stop();
    await db()
      .$disconnect()
      .catch(() => undefined);
    log.info("worker stopped", { signal });
    process.exit(0);
  })();
  return stopping;
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
