import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { startTcpProxy, type TTcpProxy } from "@/lib/health/__tests__/tcp-proxy";

// The worker reaches PostgreSQL through a proxy this file owns, so an outage never touches the shared server.
let dbProxy: TTcpProxy;
let boss: PgBoss;
let ops: { httpPort: number | null; stop(): Promise<void> };
let m: {
  db: typeof import("@/lib/db").db;
  startWorkerHttp: typeof import("../worker-http").startWorkerHttp;
};

const HEARTBEAT_SECONDS = 0.25;

async function get(path: string, headers: Record<string, string> = {}, port = ops.httpPort!) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  return { status: res.status, text: await res.text() };
}

async function eventually(fn: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not met in time");
}

beforeAll(async () => {
  const dbUrl = new URL(process.env.DATABASE_URL!);
  dbProxy = await startTcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
  dbUrl.host = `127.0.0.1:${dbProxy.port}`;
  process.env.DATABASE_URL = dbUrl.toString();
  process.env.WORKER_HTTP_PORT = "0";
  process.env.WORKER_HEARTBEAT_SECONDS = String(HEARTBEAT_SECONDS);
  delete process.env.METRICS_TOKEN;
  const { env } = await import("@/lib/env");
  const { startTaskQueue } = await import("../task-queue");
  const { startWorkerOps } = await import("../start-worker-ops");
  m = { db: (await import("@/lib/db")).db, startWorkerHttp: (await import("../worker-http")).startWorkerHttp };
  boss = await startTaskQueue();
  boss.on("error", () => undefined);
  ops = await startWorkerOps(boss, env());
});

afterAll(async () => {
  await dbProxy?.open();
  await ops?.stop();
  await boss?.stop({ graceful: false, timeout: 2000 }).catch(() => undefined);
  await dbProxy?.close();
});

describe("a worker's health port", () => {
  it("announces the worker in WorkerHeartbeat with its pid and concurrency", async () => {
    const rows = await m.db().workerHeartbeat.findMany({ where: { pid: process.pid } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ concurrency: 2, runsInFlight: 0 });
    expect(Date.now() - rows[0]!.lastBeatAt.getTime()).toBeLessThan(5000);
  });

  it("is live and ready, with each check and its latency", async () => {
    expect((await get("/health/live")).status).toBe(200);
    const ready = await get("/health/ready");
    expect(ready.status, ready.text).toBe(200);
    const report = JSON.parse(ready.text) as { status: string; checks: { name: string; ok: boolean; latencyMs: number }[] };
    expect(report.status).toBe("ready");
    expect(report.checks.map((c) => c.name).sort()).toEqual(["heartbeat", "queue"]);
    expect(report.checks.every((c) => c.ok && c.latencyMs >= 0)).toBe(true);
    expect(ready.text).not.toContain("postgresql://");
    expect((await get("/nothing")).status).toBe(404);
  });

  it("goes unready when the database (queue and heartbeat) is gone, and ready again when it is back", async () => {
    await dbProxy.close();
    try {
      await eventually(async () => (await get("/health/ready")).status === 503, 10_000);
      const report = JSON.parse((await get("/health/ready")).text) as { checks: { name: string; ok: boolean; detail: string }[] };
      expect(report.checks.find((c) => c.name === "queue")!.ok).toBe(false);
      // Liveness does not depend on the database: an orchestrator must not restart a worker for an outage elsewhere.
      expect((await get("/health/live")).status).toBe(200);
      await eventually(async () => {
        const r = JSON.parse((await get("/health/ready")).text) as { checks: { name: string; ok: boolean }[] };
        return r.checks.find((c) => c.name === "heartbeat")!.ok === false;
      }, 10_000);
    } finally {
      await dbProxy.open();
    }
    await eventually(async () => (await get("/health/ready")).status === 200, 15_000);
  });

  it("serves /metrics on loopback without a token, and demands the bearer token once METRICS_TOKEN is set", async () => {
    const open = await get("/metrics");
    expect(open.status).toBe(200);
    expect(open.text).toContain("# TYPE ncdd_task_runs_total counter");
    expect(open.text).toContain("ncdd_worker_runs_in_flight 0");
    // Cluster gauges are the app's: a worker never reports them, so nothing is counted once per worker.
    expect(open.text).not.toContain("ncdd_grants");

    const token = "metrics-test-token-0123456789";
    const guarded = await m.startWorkerHttp({
      host: "127.0.0.1",
      port: 0,
      metricsToken: token,
      readiness: async () => ({ status: "ready", checks: [] }),
    });
    try {
      expect((await get("/metrics", {}, guarded!.port)).status).toBe(401);
      expect((await get("/metrics", { authorization: "Bearer wrong-token-0123456789" }, guarded!.port)).status).toBe(401);
      expect((await get("/metrics", { authorization: `Bearer ${token}` }, guarded!.port)).status).toBe(200);
      // Health stays open: it carries no secret and orchestrators call it without credentials.
      expect((await get("/health/ready", {}, guarded!.port)).status).toBe(200);
    } finally {
      await guarded?.close();
    }
    const exposed = await m.startWorkerHttp({ host: "0.0.0.0", port: 0, readiness: async () => ({ status: "ready", checks: [] }) });
    try {
      expect((await get("/metrics", {}, exposed!.port)).status).toBe(403);
    } finally {
      await exposed?.close();
    }
  });

  it("keeps working its queue when its port is taken (logs, serves nothing)", async () => {
    const taken = await m.startWorkerHttp({
      host: "127.0.0.1",
      port: ops.httpPort!,
      readiness: async () => ({ status: "ready", checks: [] }),
    });
    expect(taken).toBeNull();
  });

  it("removes its heartbeat row when it stops gracefully", async () => {
    const before = await m.db().workerHeartbeat.count({ where: { pid: process.pid } });
    expect(before).toBe(1);
    await ops.stop();
    expect(await m.db().workerHeartbeat.count({ where: { pid: process.pid } })).toBe(0);
    await expect(get("/health/live")).rejects.toThrow();
  });
});
