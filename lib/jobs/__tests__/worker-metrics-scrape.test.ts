import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_SEED_DIR, startNextcloudStandIn } from "@/test/nextcloud-stand-in/start-stand-in";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp } from "@/test/keycloak/grant-fixture";
import { expectNothingSecretOrPersonal, expectRunCounted, growth, sample } from "@/lib/metrics/__tests__/scrape-assertions";

// The worker's own /metrics, scraped over the HTTP port the worker process opens (a free port, never the
// shared 9464), after that process ran a real task: its run, its Nextcloud requests and its token work are
// counted there — the app's /api/metrics is another process and never sees them.

type TStandIn = Awaited<ReturnType<typeof startNextcloudStandIn>>;
let standIn: TStandIn;
let person: TPerson;
let worker: ChildProcess | null = null;
let port: number;
const METRICS_TOKEN = `worker-scrape-${randomUUID()}`;
const CHILD_LOG = path.join(tmpdir(), `ncdd-worker-metrics-${process.pid}.log`);
let m: {
  db: typeof import("@/lib/db").db;
  enableTask: typeof import("@/lib/services/tasks/enable-task").enableTask;
};

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn().catch(() => null);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting (worker log: ${CHILD_LOG})`);
}

/** A port free right now on loopback (the worker binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port: p } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return p;
}

async function scrape(authorization = `Bearer ${METRICS_TOKEN}`): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization } });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

beforeAll(async () => {
  person = await createPerson("worker-scrape");
  const seedDir = mkdtempSync(path.join(tmpdir(), "ncdd-worker-scrape-seed-"));
  cpSync(path.join(DEFAULT_SEED_DIR, "default"), path.join(seedDir, "default"), { recursive: true });
  cpSync(path.join(DEFAULT_SEED_DIR, "alice"), path.join(seedDir, person.username), { recursive: true });
  standIn = await startNextcloudStandIn({ port: 0, issuer: process.env.KEYCLOAK_ISSUER!, audience: "nextcloud", seedDir });
  process.env.NEXTCLOUD_URL = standIn.url;
  m = {
    db: (await import("@/lib/db")).db,
    enableTask: (await import("@/lib/services/tasks/enable-task")).enableTask,
  };
  // Leftovers of earlier runs against this (test-only) database would keep the worker busy with other runs.
  await m.db().task.deleteMany({});
  await m.db().$executeRawUnsafe("DO $$ BEGIN IF to_regclass('pgboss.job') IS NOT NULL THEN DELETE FROM pgboss.job; END IF; END $$");
  port = await freePort();
  // `npm run worker`'s command, in its own process group, with its health/metrics port on `port`.
  worker = spawn("npx", ["tsx", "--conditions=react-server", "lib/jobs/worker-main.ts"], {
    env: {
      ...process.env,
      NEXTCLOUD_URL: standIn.url,
      WORKER_HTTP_HOST: "127.0.0.1",
      WORKER_HTTP_PORT: String(port),
      METRICS_TOKEN,
      WORKER_TOKEN_EXCHANGE: "true",
      WORKER_CONCURRENCY: "1",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", openSync(CHILD_LOG, "a"), openSync(CHILD_LOG, "a")],
    detached: true,
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, 60_000);
  expect(readFileSync(CHILD_LOG, "utf8")).toContain(`"port":${port}`);
}, 120_000);

afterAll(async () => {
  if (worker?.pid) {
    try {
      process.kill(-worker.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise<void>((r) => (worker!.exitCode !== null ? r() : worker!.once("exit", () => r())));
  }
  await standIn?.close();
  if (person) {
    await m?.db().task.deleteMany({ where: { userSub: person.sub } });
    await deletePerson(person);
  }
});

describe("the worker process's own /metrics after it ran a task", () => {
  it(
    "counts the run, its Nextcloud requests and its token work with the right labels, and holds nothing secret or personal",
    { timeout: 120_000 },
    async () => {
      const { grantId, redeemed } = await createGrantOverHttp(person, ["notes.read", "files.read"]);
      // No cached access token: the worker must refresh the offline token and exchange it (RFC 8693).
      await m.db().grant.update({ where: { id: grantId }, data: { accessTokenEnc: null, accessExpiresAt: null } });
      const before = await scrape();
      expect(before.status).toBe(200);
      const ctx = { userSub: redeemed.sub, username: person.username, isAdmin: false, correlationId: randomUUID() };
      // The worker's own scheduler queues the new task's first run; nothing in this process works it.
      const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
      const run = await waitFor(async () => {
        const r = await m.db().taskRun.findFirst({ where: { taskId }, orderBy: { createdAt: "desc" } });
        return r && ["succeeded", "failed", "stopped"].includes(r.status) ? r : null;
      }, 60_000);
      expect(run.status, run.error ?? "").toBe("succeeded");

      // The attempt is counted as it returns to the queue, a moment after the run row says succeeded.
      const after = await waitFor(async () => {
        const s = await scrape();
        return growth(before.text, s.text, "ncdd_task_runs_total", { type: "notes-index", outcome: "succeeded" }) > 0 ? s : null;
      }, 10_000);
      expect(after.status).toBe(200);
      expect(after.type).toContain("text/plain");

      const served = standIn.requests().filter((r) => r.uid === person.username);
      // This stand-in serves this worker only, so every request it served is one the worker counted.
      expectRunCounted(before.text, after.text, served, { allServed: standIn.requests().length });
      // Where the run's time went, per phase, with bounded labels only.
      for (const phase of ["check", "token", "nextcloud", "audit"])
        expect(growth(before.text, after.text, "ncdd_task_run_phase_seconds_total", { phase }), phase).toBeGreaterThan(0);
      // The worker reports only what it counts itself: the cluster gauges are the app's.
      expect(after.text).not.toContain("ncdd_grants");
      expect(sample(after.text, "ncdd_worker_runs_in_flight", {})).toBe(0);

      expectNothingSecretOrPersonal(after.text, [METRICS_TOKEN, redeemed.sub, person.username, person.password, "Notes/", grantId, taskId]);
    },
  );

  it("refuses a scrape without the bearer token (METRICS_TOKEN is set)", async () => {
    expect((await scrape("")).status).toBe(401);
    expect((await scrape(`Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
  });
});
