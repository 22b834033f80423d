import "server-only";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { log } from "../logger";
import type { THealthReport } from "../health/health-types";
import { authorizeMetricsRequest } from "../metrics/authorize-metrics-request";
import { isLoopbackHost } from "../metrics/is-loopback-host";
import { renderMetrics } from "../metrics/render-metrics";

export type TWorkerHttp = { port: number; close(): Promise<void> };

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

/**
 * The worker's own small HTTP server: GET /health/live (the process answers), /health/ready (queue and
 * heartbeat, 503 when not ready) and /metrics (Prometheus; bearer METRICS_TOKEN, or loopback-only without
 * it). Nothing else is served. Resolves null, with an error logged, when the port is taken: a worker
 * without its health port still works its queue.
 */
export async function startWorkerHttp(opts: {
  host: string;
  port: number;
  metricsToken?: string;
  readiness: () => Promise<THealthReport>;
}): Promise<TWorkerHttp | null> {
  const started = Date.now();
  const boundToLoopback = isLoopbackHost(opts.host);
  if (!boundToLoopback && !opts.metricsToken) {
    log.warn("worker metrics are refused: WORKER_HTTP_HOST is not loopback and METRICS_TOKEN is not set");
  }
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...JSON_HEADERS, allow: "GET, HEAD" }).end(JSON.stringify({ error: "method not allowed" }));
      return;
    }
    const answer = async () => {
      if (path === "/health/live") {
        res
          .writeHead(200, JSON_HEADERS)
          .end(JSON.stringify({ status: "live", pid: process.pid, uptimeSeconds: Math.round((Date.now() - started) / 1000) }));
      } else if (path === "/health/ready") {
        const report = await opts.readiness();
        res.writeHead(report.status === "ready" ? 200 : 503, JSON_HEADERS).end(JSON.stringify(report));
      } else if (path === "/metrics") {
        const access = authorizeMetricsRequest(req.headers.authorization, { token: opts.metricsToken, boundToLoopback });
        if (!access.ok) {
          res.writeHead(access.status, JSON_HEADERS).end(JSON.stringify({ error: access.error }));
          return;
        }
        const { contentType, body } = await renderMetrics("worker");
        res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" }).end(body);
      } else {
        res.writeHead(404, JSON_HEADERS).end(JSON.stringify({ error: "not found" }));
      }
    };
    answer().catch((error: unknown) => {
      log.error("worker http request failed", { path, error });
      if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
      res.end(JSON.stringify({ error: "internal error" }));
    });
  });

  const listening = await new Promise<boolean>((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      log.error("worker http server could not start: health and metrics are not served", {
        host: opts.host,
        port: opts.port,
        reason: error.code,
      });
      resolve(false);
    });
    server.listen(opts.port, opts.host, () => resolve(true));
  });
  if (!listening) return null;
  const port = (server.address() as AddressInfo).port;
  log.info("worker http server listening", { host: opts.host, port });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
