import "server-only";
import type PgBoss from "pg-boss";
import type { TEnv } from "../env";
import { checkWorkerReadiness } from "./check-worker-readiness";
import { startWorkerHeartbeat } from "./worker-heartbeat";
import { startWorkerHttp } from "./worker-http";

/**
 * What an operator sees of a worker process: its heartbeat row (the Workers page, readiness) and its
 * HTTP port (health and metrics). `stop` closes the port and deletes the row, for a graceful stop.
 */
export async function startWorkerOps(boss: PgBoss, e: TEnv): Promise<{ httpPort: number | null; stop(): Promise<void> }> {
  const everyMs = e.WORKER_HEARTBEAT_SECONDS * 1000;
  const heartbeat = await startWorkerHeartbeat({ concurrency: e.WORKER_CONCURRENCY, everyMs });
  const http = await startWorkerHttp({
    host: e.WORKER_HTTP_HOST,
    port: e.WORKER_HTTP_PORT,
    metricsToken: e.METRICS_TOKEN,
    readiness: () => checkWorkerReadiness({ boss, lastBeatAt: () => heartbeat.lastBeatAt(), heartbeatEveryMs: everyMs }),
  });
  return {
    httpPort: http?.port ?? null,
    async stop() {
      await http?.close();
      await heartbeat.stop();
    },
  };
}
