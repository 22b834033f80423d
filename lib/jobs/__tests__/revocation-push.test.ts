import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { startNextcloudStandIn } from "@/test/nextcloud-stand-in/start-stand-in";
import { createGrantOverHttp } from "@/test/keycloak/grant-fixture";
import { createPerson, deletePerson } from "@/test/keycloak/person-fixture";

type TStandIn = Awaited<ReturnType<typeof startNextcloudStandIn>>;
let standIn: TStandIn;
let boss: PgBoss;
let m: {
  db: typeof import("@/lib/db").db;
  hints: typeof import("@/lib/grants/revocation-hints");
  publishRevocation: typeof import("@/lib/grants/publish-revocation").publishRevocation;
  listener: import("../revocation-listener").TRevocationListener;
  scheduleDueTasks: typeof import("../schedule-due-tasks").scheduleDueTasks;
  workTaskRuns: typeof import("../task-run-job").workTaskRuns;
  enableTask: typeof import("@/lib/services/tasks/enable-task").enableTask;
  changeTask: typeof import("@/lib/services/tasks/change-task").changeTask;
  revokeGrant: typeof import("@/lib/services/grants/revoke-grant").revokeGrant;
};

async function startQueue(): Promise<PgBoss> {
  const { startTaskQueue } = await import("../task-queue");
  const started = await startTaskQueue();
  await m.workTaskRuns(started, 1);
  return started;
}

/** Runs stopped by this process so far, by what found the stop (lib/jobs/run-stopped.ts). */
async function stopCounts(): Promise<{ notice: number; check: number }> {
  const { processMetrics } = await import("@/lib/metrics/process-metrics");
  const values = (await processMetrics().runStops.get()).values;
  const count = (by: string) => values.filter((v) => v.labels.detected_by === by).reduce((n, v) => n + v.value, 0);
  return { notice: count("notice"), check: count("check") };
}

async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 20_000,
  stepMs = 5,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error("timed out waiting");
}

beforeAll(async () => {
  standIn = await startNextcloudStandIn({ port: 0, issuer: process.env.KEYCLOAK_ISSUER!, audience: "nextcloud" });
  process.env.NEXTCLOUD_URL = standIn.url;
  delete process.env.WORKER_JOB_EXPIRE_SECONDS;
  const { startRevocationListener } = await import("../revocation-listener");
  m = {
    db: (await import("@/lib/db")).db,
    hints: await import("@/lib/grants/revocation-hints"),
    publishRevocation: (await import("@/lib/grants/publish-revocation")).publishRevocation,
    listener: startRevocationListener(process.env.DATABASE_URL!),
    scheduleDueTasks: (await import("../schedule-due-tasks")).scheduleDueTasks,
    workTaskRuns: (await import("../task-run-job")).workTaskRuns,
    enableTask: (await import("@/lib/services/tasks/enable-task")).enableTask,
    changeTask: (await import("@/lib/services/tasks/change-task")).changeTask,
    revokeGrant: (await import("@/lib/services/grants/revoke-grant")).revokeGrant,
  };
  await m.listener.ready;
});

afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 2000 }).catch(() => undefined);
  await m?.listener.stop();
  await standIn?.close();
});

describe("revocations are pushed to workers (LISTEN/NOTIFY)", () => {
  it("delivers a notice only when its transaction commits, never for a rollback", async () => {
    const committed = `grant-${randomUUID()}`;
    const rolledBack = `grant-${randomUUID()}`;
    await m.db().$transaction(async (tx) => {
      await m.publishRevocation(tx, { grantIds: [committed] });
      // Another transaction publishes and commits meanwhile: its notice arrives, this one's does not yet.
      const meanwhile = `grant-${randomUUID()}`;
      await m.db().$transaction((other) => m.publishRevocation(other, { grantIds: [meanwhile] }));
      await waitFor(() => m.hints.heardStopped({ grantId: meanwhile }) !== null, 2000);
      expect(m.hints.heardStopped({ grantId: committed })).toBeNull();
    });
    await waitFor(() => m.hints.heardStopped({ grantId: committed }) !== null, 2000);
    await expect(
      m.db().$transaction(async (tx) => {
        await m.publishRevocation(tx, { grantIds: [rolledBack] });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    // Notices arrive in commit order: once a later committed marker is heard, the rolled-back one never will be.
    const marker = `grant-${randomUUID()}`;
    await m.db().$transaction((tx) => m.publishRevocation(tx, { grantIds: [marker] }));
    await waitFor(() => m.hints.heardStopped({ grantId: marker }) !== null, 2000);
    expect(m.hints.heardStopped({ grantId: rolledBack })).toBeNull();
  });

  // The stand-in holds the run's first WebDAV request in flight; access ends meanwhile; the request is
  // answered only once the worker has heard the notice. The run must stop right after that answer — found
  // by the notice, not by the per-request check before its next request — with the answer in the feed
  // before the run's stop, and no request after the ack.
  for (const how of ["pause the task", "revoke the grant"] as const) {
    it(`a ${how === "pause the task" ? "pause" : "grant revocation"} heard while a request is in flight stops the run right after that answer`, async () => {
      const me = await createPerson("push");
      try {
        const { grantId, redeemed } = await createGrantOverHttp(me, ["notes.read", "files.read"]);
        const ctx = { userSub: redeemed.sub, username: me.username, isAdmin: false, correlationId: randomUUID() };
        const { taskId } = await m.enableTask(ctx, { type: "files-inventory" });
        boss ??= await startQueue();
        const stops = await stopCounts();
        // Only this person's requests: a run another file left queued must not be the one held.
        const hold = standIn.holdWebdav({ uid: me.username });
        try {
          await m.scheduleDueTasks(boss);
          await hold.arrived;
          const heard = new Promise<void>((resolve) => {
            const off = m.hints.onRevocationNotice((notice) => {
              if (notice.taskIds?.includes(taskId) || notice.grantIds?.includes(grantId)) {
                off();
                resolve();
              }
            });
          });
          if (how === "pause the task") await m.changeTask(ctx, { action: "pause", taskId });
          else await m.revokeGrant(ctx, { grantId });
          const acknowledged = Date.now();
          await heard;
          hold.release();
          const run = await waitFor(async () => {
            const r = await m.db().taskRun.findFirst({ where: { taskId }, orderBy: { createdAt: "desc" } });
            return r && r.status !== "running" && r.status !== "queued" ? r : null;
          });
          expect(run.status).toBe("stopped");
          expect(run.error).toBe(how === "pause the task" ? "stopped: paused" : "stopped: access revoked");
          const after = await stopCounts();
          expect({ notice: after.notice - stops.notice, check: after.check - stops.check }).toEqual({ notice: 1, check: 0 });
          // The run is finished: whatever it sent is in the stand-in's log by now.
          const sent = standIn.requests().filter((r) => r.uid === me.username);
          expect(sent.filter((r) => r.path.includes("/remote.php/dav/"))).toHaveLength(1);
          expect(sent.filter((r) => Date.parse(r.time) > acknowledged)).toEqual([]);
          // The held request's answer is in the feed, before the run's stop (its row follows the run's status).
          await waitFor(() => m.db().auditEvent.findFirst({ where: { taskId, action: "task.run" } }));
          const feed = await m
            .db()
            .auditEvent.findMany({ where: { taskId, action: { in: ["nextcloud.request", "task.run"] } }, orderBy: { seq: "asc" } });
          expect(feed.map((e) => `${e.action} ${e.resource?.split(" ")[0]} ${e.outcome}`)).toEqual([
            "nextcloud.request GET success",
            "nextcloud.request PROPFIND success",
            "task.run task:files-inventory refused",
          ]);
        } finally {
          hold.release();
        }
      } finally {
        await deletePerson(me).catch(() => undefined);
      }
    });
  }
});
