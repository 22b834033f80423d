import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { startNextcloudStandIn } from "@/test/nextcloud-stand-in/start-stand-in";
import { createGrantOverHttp } from "@/test/keycloak/grant-fixture";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";

type TStandIn = Awaited<ReturnType<typeof startNextcloudStandIn>>;
let standIn: TStandIn;
let boss: PgBoss;
let person: TPerson | undefined;
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

async function waitFor<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 20_000, stepMs = 5): Promise<T> {
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
  if (person) await deletePerson(person).catch(() => undefined);
});

describe("revocations are pushed to workers (LISTEN/NOTIFY)", () => {
  it("delivers a notice only when its transaction commits, never for a rollback", async () => {
    const committed = `grant-${randomUUID()}`;
    const rolledBack = `grant-${randomUUID()}`;
    await m.db().$transaction(async (tx) => {
      await m.publishRevocation(tx, { grantIds: [committed] });
      await new Promise((r) => setTimeout(r, 150));
      expect(m.hints.heardStopped({ grantId: committed })).toBeNull();
    });
    await waitFor(() => m.hints.heardStopped({ grantId: committed }) !== null, 2000);
    await expect(
      m.db().$transaction(async (tx) => {
        await m.publishRevocation(tx, { grantIds: [rolledBack] });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await new Promise((r) => setTimeout(r, 300));
    expect(m.hints.heardStopped({ grantId: rolledBack })).toBeNull();
  });

  it("a pause is pushed: the worker hears it within 100 ms of the ack", async () => {
    person = await createPerson("push");
    const { redeemed } = await createGrantOverHttp(person, ["notes.read", "files.read"]);
    const ctx = { userSub: redeemed.sub, username: person.username, isAdmin: false, correlationId: randomUUID() };
    const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
    const heard: number[] = [];
    const off = m.hints.onRevocationNotice((notice) => {
      if (notice.taskIds?.includes(taskId)) heard.push(Date.now());
    });
    try {
      await m.changeTask(ctx, { action: "pause", taskId });
      const acknowledged = Date.now();
      const at = await waitFor(() => heard[0], 2000, 2);
      expect(at - acknowledged).toBeLessThan(100);
    } finally {
      off();
    }
  });

  it("a running task stops on the pushed grant revocation, and the stand-in logs no request after the ack", async () => {
    person ??= await createPerson("push");
    const { grantId, redeemed } = await createGrantOverHttp(person, ["notes.read", "files.read"]);
    const ctx = { userSub: redeemed.sub, username: person.username, isAdmin: false, correlationId: randomUUID() };
    const { taskId } = await m.enableTask(ctx, { type: "files-inventory" });
    const { startTaskQueue } = await import("../task-queue");
    boss = await startTaskQueue();
    await m.workTaskRuns(boss, 1);
    standIn.setLatencyMs(250);
    try {
      await m.scheduleDueTasks(boss);
      await waitFor(async () => {
        const r = await m.db().taskRun.findFirst({ where: { taskId }, orderBy: { createdAt: "desc" } });
        return r?.status === "running" && r.itemsDone >= 1 ? r : null;
      }, 20_000, 20);
      await m.revokeGrant(ctx, { grantId });
      const acknowledged = Date.now();
      // Pushed: this process knows the grant stopped before any database re-check would tell it.
      await waitFor(() => m.hints.heardStopped({ grantId }) !== null, 100, 2);
      const run = await waitFor(async () => {
        const r = await m.db().taskRun.findFirst({ where: { taskId }, orderBy: { createdAt: "desc" } });
        return r && r.status !== "running" ? r : null;
      }, 5000, 20);
      expect(run.status).toBe("stopped");
      expect(run.error).toBe("stopped: access revoked");
      await new Promise((r) => setTimeout(r, 1000));
      const after = standIn.requests().filter((r) => r.uid === person!.username && Date.parse(r.time) > acknowledged);
      expect(after).toEqual([]);
    } finally {
      standIn.setLatencyMs(0);
    }
  });
});
