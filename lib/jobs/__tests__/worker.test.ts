import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import { startNextcloudStandIn } from "@/test/nextcloud-stand-in/start-stand-in";
import { DEFAULT_SEED_DIR } from "@/test/nextcloud-stand-in/start-stand-in";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp } from "@/test/keycloak/grant-fixture";
import { getServiceAccountToken } from "@/lib/oauth/get-service-account-token";

type TStandIn = Awaited<ReturnType<typeof startNextcloudStandIn>>;
let standIn: TStandIn;
let boss: PgBoss;
// Modules that read env() are imported after NEXTCLOUD_URL points at this file's stand-in.
let m: {
  db: typeof import("@/lib/db").db;
  scheduleDueTasks: typeof import("../schedule-due-tasks").scheduleDueTasks;
  workTaskRuns: typeof import("../task-run-job").workTaskRuns;
  enableTask: typeof import("@/lib/services/tasks/enable-task").enableTask;
  changeTask: typeof import("@/lib/services/tasks/change-task").changeTask;
  searchNotes: typeof import("@/lib/services/tasks/search-notes").searchNotes;
  revokeGrant: typeof import("@/lib/services/grants/revoke-grant").revokeGrant;
  startTaskQueue: typeof import("../task-queue").startTaskQueue;
};

// This file's own people (one grant per person and worker), each with the stand-in's seed of alice or bob.
const people = {} as Record<"alice" | "bob", TPerson>;

async function ctxWithGrant(user: "alice" | "bob") {
  const { grantId, redeemed } = await createGrantOverHttp(people[user], ["notes.read", "files.read"]);
  return { grantId, ctx: { userSub: redeemed.sub, username: people[user].username, isAdmin: false, correlationId: randomUUID() } };
}

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, stepMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error("timed out waiting");
}

const latestRun = (taskId: string) => m.db().taskRun.findFirst({ where: { taskId }, orderBy: { createdAt: "desc" } });

beforeAll(async () => {
  people.alice = await createPerson("worker-alice");
  people.bob = await createPerson("worker-bob");
  const seedDir = mkdtempSync(path.join(tmpdir(), "ncdd-worker-seed-"));
  cpSync(path.join(DEFAULT_SEED_DIR, "default"), path.join(seedDir, "default"), { recursive: true });
  for (const who of ["alice", "bob"] as const)
    cpSync(path.join(DEFAULT_SEED_DIR, who), path.join(seedDir, people[who].username), { recursive: true });
  standIn = await startNextcloudStandIn({ port: 0, issuer: process.env.KEYCLOAK_ISSUER!, audience: "nextcloud", seedDir });
  process.env.NEXTCLOUD_URL = standIn.url;
  // The production job expiry (15 min) on purpose: a dead worker's run must come back through the
  // heartbeat lease within seconds, not through pg-boss's expiry.
  delete process.env.WORKER_JOB_EXPIRE_SECONDS;
  m = {
    db: (await import("@/lib/db")).db,
    scheduleDueTasks: (await import("../schedule-due-tasks")).scheduleDueTasks,
    workTaskRuns: (await import("../task-run-job")).workTaskRuns,
    enableTask: (await import("@/lib/services/tasks/enable-task")).enableTask,
    changeTask: (await import("@/lib/services/tasks/change-task")).changeTask,
    searchNotes: (await import("@/lib/services/tasks/search-notes")).searchNotes,
    revokeGrant: (await import("@/lib/services/grants/revoke-grant")).revokeGrant,
    startTaskQueue: (await import("../task-queue")).startTaskQueue,
  };
  boss = await m.startTaskQueue();
  // Leftovers of earlier runs against this (test-only) database would compete for the workers.
  await m.db().task.deleteMany({});
  await m.db().noteDocument.deleteMany({});
  await m.db().fileEntry.deleteMany({});
  await m.db().$executeRawUnsafe("DELETE FROM pgboss.job");
});

afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 2000 }).catch(() => undefined);
  await standIn?.close();
  for (const p of Object.values(people)) await deletePerson(p);
});

describe("the worker acts for users through delegated tokens", () => {
  // In-process workers for this block, started here so any one test of it runs alone.
  beforeAll(async () => {
    await m.workTaskRuns(boss, 2);
  });

  it("refuses to enable a task without a grant that covers it", async () => {
    const ctx = { userSub: `nobody-${randomUUID()}`, username: "nobody", isAdmin: false, correlationId: randomUUID() };
    await expect(m.enableTask(ctx, { type: "notes-index" })).rejects.toMatchObject({
      code: "Conflict",
      details: { grantNeeded: "notes-index" },
    });
  });

  it("indexes alice's notes so search finds them, and inventories her files with changes", async () => {
    const { ctx } = await ctxWithGrant("alice");
    const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
    await m.scheduleDueTasks(boss);
    const run = await waitFor(async () => {
      const r = await latestRun(taskId);
      return r && ["succeeded", "failed", "stopped"].includes(r.status) ? r : null;
    });
    expect(run.status).toBe("succeeded");
    expect(run.itemsTotal).toBeGreaterThanOrEqual(3);
    expect(run.itemsDone).toBe(run.itemsTotal);
    const hits = await m.searchNotes(ctx, { q: "quokka" });
    expect(hits.map((h) => h.title)).toContain("Trip to Australia");
    // Every request for alice went out with her identity, through the worker client.
    const mine = standIn.requests().filter((r) => r.uid === ctx.username);
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.every((r) => r.sub === ctx.userSub && r.azp === "nextcloud-mcp-server")).toBe(true);
    // Each request the stand-in saw for this person is in the audit trail, one row each.
    const audited = await m.db().auditEvent.count({ where: { subject: ctx.userSub, action: "nextcloud.request", taskId } });
    expect(audited).toBe(mine.length);

    const inv = await m.enableTask(ctx, { type: "files-inventory" });
    await m.scheduleDueTasks(boss);
    const first = await waitFor(async () => {
      const r = await latestRun(inv.taskId);
      return r?.status === "succeeded" ? r : null;
    });
    const s1 = first.summary as { files: number; bytes: number; added: number };
    expect(s1.files).toBeGreaterThan(3);
    expect(s1.bytes).toBeGreaterThan(10_000);
    await m.db().fileEntry.deleteMany({ where: { userSub: ctx.userSub, path: "Documents/Welcome.txt" } });
    await m.changeTask(ctx, { action: "run-now", taskId: inv.taskId });
    await m.scheduleDueTasks(boss);
    const second = await waitFor(async () => {
      const r = await latestRun(inv.taskId);
      return r && r.id !== first.id && r.status === "succeeded" ? r : null;
    });
    expect((second.summary as { added: number }).added).toBe(1);
  });

  it("stops a running task within a second of a revoke, and makes no request for that user afterwards", async () => {
    const { ctx, grantId } = await ctxWithGrant("bob");
    const { taskId } = await m.enableTask(ctx, { type: "files-inventory" });
    standIn.setLatencyMs(250);
    try {
      await m.scheduleDueTasks(boss);
      await waitFor(async () => {
        const r = await latestRun(taskId);
        return r?.status === "running" && r.itemsDone >= 1 ? r : null;
      });
      await m.revokeGrant(ctx, { grantId });
      const acknowledged = Date.now();
      const run = await waitFor(
        async () => {
          const r = await latestRun(taskId);
          return r && r.status !== "running" ? r : null;
        },
        5000,
        50,
      );
      expect(run.status).toBe("stopped");
      expect(run.error).toBe("stopped: access revoked");
      expect(run.finishedAt!.getTime() - acknowledged).toBeLessThan(1000);
      // Barrier instead of a sleep: the same workers finish a whole run for another person after the stop;
      // anything still queued for bob would have gone out before that run's last request.
      standIn.setLatencyMs(0);
      const other = await ctxWithGrant("alice");
      await m.db().task.deleteMany({ where: { userSub: other.ctx.userSub, type: "notes-index" } });
      const barrier = await m.enableTask(other.ctx, { type: "notes-index" });
      await m.scheduleDueTasks(boss);
      await waitFor(async () => {
        const r = await latestRun(barrier.taskId);
        return r && ["succeeded", "failed", "stopped"].includes(r.status) ? r : null;
      });
      const after = standIn.requests().filter((r) => r.uid === ctx.username && Date.parse(r.time) > acknowledged);
      expect(after).toEqual([]);
    } finally {
      standIn.setLatencyMs(0);
    }
  });

  it("never lets a service account reach Nextcloud, whatever token the worker is handed", async () => {
    const { ctx, grantId } = await ctxWithGrant("alice");
    const sa = await getServiceAccountToken(
      { clientId: "legacy-service-account", clientSecret: "service-account-local-dev-secret" },
      { recorder: async () => undefined, correlationId: randomUUID() },
    );
    // A misconfigured worker: its cached token for this grant is a client_credentials token.
    const { sealSecret } = await import("@/lib/vault/token-vault");
    const { vaultAad } = await import("@/lib/vault/aad");
    const sealed = sealSecret(sa, vaultAad.grantAccess(grantId));
    await m.db().grant.update({
      where: { id: grantId },
      data: { keyId: sealed.keyId, accessTokenEnc: sealed.sealed, accessExpiresAt: new Date(Date.now() + 300_000) },
    });
    await m.db().task.deleteMany({ where: { userSub: ctx.userSub, type: "notes-index" } });
    const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
    await m.db().task.update({ where: { id: taskId }, data: { grantId } });
    await m.scheduleDueTasks(boss);
    const run = await waitFor(async () => {
      const r = await latestRun(taskId);
      return r && ["failed", "succeeded", "stopped"].includes(r.status) ? r : null;
    });
    expect(run.status).not.toBe("succeeded");
    expect(standIn.provisioned().filter((u) => u.uid.startsWith("service-account-"))).toEqual([]);
    // The worker exchanges (WORKER_TOKEN_EXCHANGE is on in tests): Keycloak refuses to exchange a token the
    // worker client is not an audience of, so the service-account token is stopped before the Nextcloud
    // client's own guard (tested in nextcloud-client.test.ts) would refuse it.
    expect(
      await m.db().auditEvent.count({ where: { action: "token.exchange", outcome: "failure", errorCode: "access_denied", taskId } }),
    ).toBeGreaterThanOrEqual(1);
  });
});

// Child workers' logs, for when a test here fails.
const CHILD_LOG = path.join(tmpdir(), `ncdd-worker-test-${process.pid}.log`);

/** Starts `npm run worker`'s command in its own process group (so kill -9 takes tsx and node alike). */
function spawnWorker(extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn("npx", ["tsx", "--conditions=react-server", "lib/jobs/worker-main.ts"], {
    env: { ...process.env, WORKER_CONCURRENCY: "1", LOG_LEVEL: "info", ...extraEnv },
    stdio: ["ignore", openSync(CHILD_LOG, "a"), openSync(CHILD_LOG, "a")],
    detached: true,
  });
}

function killGroup(child: ChildProcess | null, signal: NodeJS.Signals) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

describe("worker processes", () => {
  // Only the child workers may take runs here, whichever test runs first or alone.
  beforeAll(async () => {
    await boss.offWork("task-run");
  });

  it("a worker killed with -9 mid-run loses no task: another worker takes the run over within seconds", { timeout: 90_000 }, async () => {
    await boss.offWork("task-run");
    const { ctx } = await ctxWithGrant("alice");
    await m.db().task.deleteMany({ where: { userSub: ctx.userSub, type: "files-inventory" } });
    const { taskId } = await m.enableTask(ctx, { type: "files-inventory" });
    standIn.setLatencyMs(400);
    let first: ChildProcess | null = null;
    let second: ChildProcess | null = null;
    try {
      first = spawnWorker();
      const running = await waitFor(async () => {
        const r = await latestRun(taskId);
        return r?.status === "running" && r.itemsDone >= 1 ? r : null;
      }, 40_000);
      killGroup(first, "SIGKILL");
      const killedAt = Date.now();
      standIn.setLatencyMs(0);
      second = spawnWorker({ WORKER_LEASE_SECONDS: "4" });
      const run = await waitFor(
        async () => {
          const r = await m.db().taskRun.findUnique({ where: { id: running.id } });
          return r?.status === "succeeded" ? r : null;
        },
        60_000,
        250,
      );
      // Lease (4 s) + reclaim tick (2 s) + retry backoff (2–4 s) + the second worker's start: well under the 15-minute expiry.
      expect(Date.now() - killedAt).toBeLessThan(30_000);
      expect(run.leaseId).not.toBe(running.leaseId);
      expect((run.summary as { files: number }).files).toBeGreaterThan(3);
      expect(await m.db().taskRun.count({ where: { taskId } })).toBe(1);
    } finally {
      standIn.setLatencyMs(0);
      killGroup(first, "SIGKILL");
      killGroup(second, "SIGKILL");
    }
  });

  it(
    "a worker told to stop (SIGTERM) hands its run back at the next request, and another worker completes it",
    { timeout: 90_000 },
    async () => {
      await boss.offWork("task-run");
      const { ctx } = await ctxWithGrant("alice");
      await m.db().task.deleteMany({ where: { userSub: ctx.userSub, type: "files-inventory" } });
      const { taskId } = await m.enableTask(ctx, { type: "files-inventory" });
      standIn.setLatencyMs(400);
      let child: ChildProcess | null = null;
      try {
        child = spawnWorker();
        const running = await waitFor(async () => {
          const r = await latestRun(taskId);
          return r?.status === "running" && r.itemsDone >= 1 ? r : null;
        }, 40_000);
        const termAt = Date.now();
        killGroup(child, "SIGTERM");
        // Handed back at the run's next request check (one slow request away), not after its last one.
        await waitFor(
          async () => {
            const r = await m.db().taskRun.findUnique({ where: { id: running.id } });
            return r?.status === "queued" && r.error === "worker stopped; retrying" ? r : null;
          },
          5_000,
          50,
        );
        expect(Date.now() - termAt).toBeLessThan(2_000);
        await exited(child);
        standIn.setLatencyMs(0);
        await m.workTaskRuns(boss, 1);
        const run = await waitFor(
          async () => {
            const r = await m.db().taskRun.findUnique({ where: { id: running.id } });
            return r?.status === "succeeded" ? r : null;
          },
          30_000,
          250,
        );
        expect(Date.now() - termAt).toBeLessThan(15_000);
        expect((run.summary as { files: number }).files).toBeGreaterThan(3);
      } finally {
        standIn.setLatencyMs(0);
        killGroup(child, "SIGKILL");
        await boss.offWork("task-run");
      }
    },
  );

  it(
    "never provisions a service-account user, even with the worker configured with a service-account client",
    { timeout: 90_000 },
    async () => {
      for (const exchange of ["true", "false"]) {
        const { ctx, grantId } = await ctxWithGrant("alice");
        // No cached access token: the misconfigured worker must go to Keycloak for one.
        await m.db().grant.update({ where: { id: grantId }, data: { accessTokenEnc: null, accessExpiresAt: null } });
        await m.db().task.deleteMany({ where: { userSub: ctx.userSub, type: "notes-index" } });
        const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
        await m.db().task.update({ where: { id: taskId }, data: { grantId } });
        const since = Date.now();
        const child = spawnWorker({
          KEYCLOAK_WORKER_CLIENT_ID: "legacy-service-account",
          KEYCLOAK_WORKER_CLIENT_SECRET: "service-account-local-dev-secret",
          WORKER_TOKEN_EXCHANGE: exchange,
        });
        try {
          const run = await waitFor(async () => {
            const r = await latestRun(taskId);
            return r && ["failed", "succeeded", "stopped"].includes(r.status) ? r : null;
          }, 40_000);
          expect(run.status, `exchange=${exchange}`).not.toBe("succeeded");
        } finally {
          killGroup(child, "SIGKILL");
          await exited(child);
        }
        expect(standIn.requests().filter((r) => Date.parse(r.time) >= since)).toEqual([]);
      }
      expect(standIn.provisioned().filter((u) => u.uid.startsWith("service-account-"))).toEqual([]);
    },
  );
});
