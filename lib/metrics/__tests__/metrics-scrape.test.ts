import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { startNextcloudStandIn } from "@/test/nextcloud-stand-in/start-stand-in";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp } from "@/test/keycloak/grant-fixture";
import { expectNothingSecretOrPersonal, expectRunCounted, growth, sample } from "./scrape-assertions";

// Signs a person in and runs a real task: run under the shared lock (flock /tmp/ncdd-shared.lock …).
type TStandIn = Awaited<ReturnType<typeof startNextcloudStandIn>>;
let standIn: TStandIn;
// This file's own person (created in the shared realm, deleted afterwards); the stand-in gives them its default tree.
let person: TPerson;
let boss: PgBoss;
const METRICS_TOKEN = `scrape-test-${randomUUID()}`;
let m: {
  db: typeof import("@/lib/db").db;
  GET: typeof import("@/app/api/metrics/route").GET;
  scheduleDueTasks: typeof import("@/lib/jobs/schedule-due-tasks").scheduleDueTasks;
  workTaskRuns: typeof import("@/lib/jobs/task-run-job").workTaskRuns;
  enableTask: typeof import("@/lib/services/tasks/enable-task").enableTask;
  refreshOfflineToken: typeof import("@/lib/oauth/refresh-offline-token").refreshOfflineToken;
  renderMetrics: typeof import("../render-metrics").renderMetrics;
};

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out waiting");
}

beforeAll(async () => {
  person = await createPerson("metrics");
  standIn = await startNextcloudStandIn({ port: 0, issuer: process.env.KEYCLOAK_ISSUER!, audience: "nextcloud" });
  process.env.NEXTCLOUD_URL = standIn.url;
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  process.env.WORKER_TOKEN_EXCHANGE = "true";
  m = {
    db: (await import("@/lib/db")).db,
    GET: (await import("@/app/api/metrics/route")).GET,
    scheduleDueTasks: (await import("@/lib/jobs/schedule-due-tasks")).scheduleDueTasks,
    workTaskRuns: (await import("@/lib/jobs/task-run-job")).workTaskRuns,
    enableTask: (await import("@/lib/services/tasks/enable-task")).enableTask,
    refreshOfflineToken: (await import("@/lib/oauth/refresh-offline-token")).refreshOfflineToken,
    renderMetrics: (await import("../render-metrics")).renderMetrics,
  };
  boss = await (await import("@/lib/jobs/task-queue")).startTaskQueue();
  await m.db().task.deleteMany({});
  await m.db().$executeRawUnsafe("DELETE FROM pgboss.job");
});

afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 2000 }).catch(() => undefined);
  await standIn?.close();
  if (person) await deletePerson(person);
});

describe("a metrics scrape after a real task run", () => {
  it(
    "shows the run, its Nextcloud requests and its token work with the right labels, and nothing secret or personal",
    { timeout: 90_000 },
    async () => {
      const { grantId, redeemed } = await createGrantOverHttp(person, ["notes.read", "files.read"]);
      // No cached access token: the run must refresh the offline token and exchange it (RFC 8693).
      await m.db().grant.update({ where: { id: grantId }, data: { accessTokenEnc: null, accessExpiresAt: null } });
      const ctx = { userSub: redeemed.sub, username: person.username, isAdmin: false, correlationId: randomUUID() };
      const before = (await m.renderMetrics("worker")).body;

      await m.workTaskRuns(boss, 1);
      const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
      await m.scheduleDueTasks(boss);
      const run = await waitFor(async () => {
        const r = await m.db().taskRun.findFirst({ where: { taskId }, orderBy: { createdAt: "desc" } });
        return r && ["succeeded", "failed", "stopped"].includes(r.status) ? r : null;
      });
      expect(run.status).toBe("succeeded");
      // A refresh Keycloak refuses, so the provider's error code shows up as a label.
      await expect(
        m.refreshOfflineToken("not-a-refresh-token", { recorder: async () => undefined, correlationId: randomUUID() }),
      ).rejects.toThrow();

      const scrape = async () => {
        const res = await m.GET(new Request("http://localhost/api/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }));
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/plain");
        return res.text();
      };
      const runs = (t: string) => growth(before, t, "ncdd_task_runs_total", { type: "notes-index", outcome: "succeeded" });
      // The attempt is counted as it returns to the queue, a moment after the run row says succeeded.
      const text = await waitFor(async () => {
        const t = await scrape();
        return runs(t) > 0 ? t : null;
      }, 5000).catch(() => {
        throw new Error("the finished run was never counted: task-run attempts must go through measureTaskRun (lib/jobs/task-run-job.ts)");
      });
      // The run, its requests and its token work (shared with the worker-port scrape in lib/jobs/__tests__).
      const served = standIn.requests().filter((r) => r.uid === person.username);
      expectRunCounted(before, text, served, { allServed: served.length });
      // A refresh Keycloak refused, with the provider's error code as its label.
      expect(
        growth(before, text, "ncdd_oauth_token_requests_total", { operation: "refresh", outcome: "failure", error_code: "invalid_grant" }),
      ).toBe(1);

      // Cluster gauges from the database.
      expect(sample(text, "ncdd_grants", { state: "active" })).toBeGreaterThanOrEqual(1);
      expect(sample(text, "ncdd_revocations", { status: "pending" })).toBeGreaterThanOrEqual(0);
      expect(sample(text, "ncdd_revocation_outbox_oldest_age_seconds", {})).toBeGreaterThanOrEqual(0);
      expect(sample(text, "ncdd_task_queue_jobs", { state: "created" })).toBeGreaterThanOrEqual(0);
      expect(sample(text, "ncdd_audit_rows_written_total", {})).toBeGreaterThan(0);
      // Without a checkpoint store (or before its first checkpoint) the age is NaN, never a made-up number.
      // (prom-client writes NaN as "Nan", which Prometheus parses case-insensitively.)
      expect(text).toMatch(/^ncdd_audit_checkpoint_age_seconds (nan|\d+(\.\d+)?)$/im);

      // Nothing secret or personal.
      expectNothingSecretOrPersonal(text, [METRICS_TOKEN, redeemed.sub, person.username, "Notes/", "not-a-refresh-token"]);
    },
  );

  it("refuses a scrape of the app without the bearer token", async () => {
    expect((await m.GET(new Request("http://localhost/api/metrics"))).status).toBe(401);
    expect(
      (await m.GET(new Request("http://localhost/api/metrics", { headers: { authorization: "Bearer nope-nope-nope-nope" } }))).status,
    ).toBe(401);
  });
});
