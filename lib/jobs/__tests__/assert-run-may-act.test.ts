import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { assertNoStopHeardSince, assertRunMayAct } from "../assert-run-may-act";
import { applyRevocationNotice } from "@/lib/grants/revocation-hints";
import { WIPED_GRANT_SECRETS } from "@/lib/grants/grant-lifecycle";
import { RunStopped } from "../run-stopped";
import { RunHandedBack } from "../run-handed-back";
import { revokeGrant } from "@/lib/services/grants/revoke-grant";
import { changeTask } from "@/lib/services/tasks/change-task";
import { createLocalGrant, createLocalPerson, createLocalTask } from "@/test/fixtures/local-grant";
import { beginWorkerShutdown } from "../worker-shutdown";

/**
 * The check the worker makes before EVERY Nextcloud request of a run, against real rows. Each case sets
 * up its own task and running attempt, so one broken rule fails exactly its own case.
 */
type TPersonCtx = Awaited<ReturnType<typeof createLocalPerson>>;
// One active grant per (person, worker) and one task per type: each case gets a person of its own.
let person: TPersonCtx;

async function runningAttempt(taskId: string): Promise<{ taskId: string; runId: string; leaseId: string }> {
  const leaseId = randomUUID();
  const { userSub } = await db().task.findUniqueOrThrow({ where: { id: taskId } });
  const run = await db().taskRun.create({
    data: { taskId, userSub, status: "running", leaseId, startedAt: new Date(), heartbeatAt: new Date() },
  });
  return { taskId, runId: run.id, leaseId };
}

async function freshTask(type: string): Promise<{ grantId: string; taskId: string }> {
  person = await createLocalPerson("may-act");
  const grantId = await createLocalGrant(person.userSub);
  return { grantId, taskId: await createLocalTask(person.userSub, grantId, type) };
}

async function stopReason(attempt: { taskId: string; runId: string; leaseId: string; grantId?: string }): Promise<string> {
  const error = await assertRunMayAct(attempt).then(
    () => null,
    (e: unknown) => e,
  );
  if (error instanceof RunStopped || error instanceof RunHandedBack) return `${error.constructor.name}: ${error.reason}`;
  return error === null ? "may act" : `unexpected: ${error instanceof Error ? error.message : typeof error}`;
}

describe("the worker's per-request check", () => {
  it("lets an active task with an active grant and its own lease act", async () => {
    const { taskId } = await freshTask("notes-index");
    expect(await stopReason(await runningAttempt(taskId))).toBe("may act");
  });

  it("stops a run whose task was paused (its grant stays active)", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    const attempt = await runningAttempt(taskId);
    await changeTask(person, { action: "pause", taskId });
    expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("active");
    expect(await stopReason(attempt)).toBe("RunStopped: stopped: paused");
  });

  it("stops a run whose task alone was revoked while its grant stays active", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    // Another live task on the same grant keeps the grant active when this task is revoked.
    await createLocalTask(person.userSub, grantId, "files-inventory");
    const attempt = await runningAttempt(taskId);
    await changeTask(person, { action: "revoke", taskId });
    expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("active");
    expect(await stopReason(attempt)).toBe("RunStopped: stopped: access revoked");
  });

  it("stops a run whose task is active but whose grant is no longer active", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    const attempt = await runningAttempt(taskId);
    // Only the grant moves (as a provider-side revocation found by a check does); the task row stays active.
    // Its tokens go as the state machine would take them: a final grant keeps no sealed secret (another file
    // checks that of every row in the database).
    await db().grant.update({ where: { id: grantId }, data: { status: "revoked_at_provider", ...WIPED_GRANT_SECRETS } });
    expect((await db().task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("active");
    expect(await stopReason(attempt)).toBe("RunStopped: stopped: access revoked");
  });

  it("stops a run of a task that no longer exists", async () => {
    const { taskId } = await freshTask("notes-index");
    const attempt = await runningAttempt(taskId);
    await db().task.delete({ where: { id: taskId } });
    expect(await stopReason(attempt)).toBe("RunStopped: stopped: access revoked");
  });

  it("hands the run back when another attempt took over its lease", async () => {
    const { taskId } = await freshTask("notes-index");
    const attempt = await runningAttempt(taskId);
    await db().taskRun.update({ where: { id: attempt.runId }, data: { leaseId: randomUUID() } });
    expect(await stopReason(attempt)).toBe("RunHandedBack: lease lost");
  });
});

describe("the per-request check with pushed revocations", () => {
  it("stops a run whose grant this process heard revoked, before the database says so", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    const attempt = await runningAttempt(taskId);
    expect(await stopReason({ ...attempt, grantId })).toBe("may act");
    applyRevocationNotice({ grantIds: [grantId] });
    // The rows still say active: only the pushed notice can stop it.
    expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("active");
    expect(await stopReason({ ...attempt, grantId })).toBe("RunStopped: stopped: access revoked");
  });

  it("is not stopped by a notice about another grant or about a task", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    const attempt = await runningAttempt(taskId);
    const other = await freshTask("notes-index");
    applyRevocationNotice({ grantIds: [other.grantId], taskIds: [taskId] });
    expect(await stopReason({ ...attempt, grantId })).toBe("may act");
  });

  it("hands back a run whose own lease was never recorded", async () => {
    const { taskId } = await freshTask("notes-index");
    const attempt = await runningAttempt(taskId);
    await db().taskRun.update({ where: { id: attempt.runId }, data: { leaseId: null } });
    expect(await stopReason(attempt)).toBe("RunHandedBack: lease lost");
  });
});

describe("revokeGrant", () => {
  it("stops every task of the grant at once, and only that grant's tasks", async () => {
    const { grantId, taskId } = await freshTask("notes-index");
    const second = await createLocalTask(person.userSub, grantId, "files-inventory");
    const attempt = await runningAttempt(taskId);
    const owner = person;
    const elsewhere = await freshTask("notes-index");
    await revokeGrant(owner, { grantId });
    for (const id of [taskId, second]) {
      expect(await db().task.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: "revoked",
        nextRunAt: null,
        stoppedReason: "access revoked",
      });
    }
    expect(await stopReason(attempt)).toBe("RunStopped: stopped: access revoked");
    expect((await db().task.findUniqueOrThrow({ where: { id: elsewhere.taskId } })).status).toBe("active");
  });
});

describe("after an answer: the notices heard while the request was in flight", () => {
  async function outcome(attempt: { taskId: string; runId: string; leaseId: string; grantId: string }, since: number): Promise<string> {
    const error = await assertNoStopHeardSince(attempt, since).then(
      () => null,
      (e: unknown) => e,
    );
    if (error instanceof RunStopped) return `RunStopped: ${error.reason} (${error.detectedBy})`;
    return error === null ? "may go on" : `unexpected: ${error instanceof Error ? error.message : typeof error}`;
  }

  it("a pushed grant revocation stops the run (a grant never comes back, so no database answer is needed)", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    const attempt = { ...(await runningAttempt(taskId)), grantId };
    const since = performance.now();
    applyRevocationNotice({ grantIds: [grantId] });
    expect(await outcome(attempt, since)).toBe("RunStopped: stopped: access revoked (notice)");
  });

  it("a pushed pause stops the run with the pause as its reason", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    const attempt = { ...(await runningAttempt(taskId)), grantId };
    const since = performance.now();
    await changeTask(person, { action: "pause", taskId });
    applyRevocationNotice({ taskIds: [taskId], reason: "paused" });
    expect(await outcome(attempt, since)).toBe("RunStopped: stopped: paused (notice)");
  });

  it("a task notice is confirmed by the database: a task that is active again goes on", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    const attempt = { ...(await runningAttempt(taskId)), grantId };
    const since = performance.now();
    applyRevocationNotice({ taskIds: [taskId], reason: "paused" });
    expect(await outcome(attempt, since)).toBe("may go on");
  });

  it("leaves notices heard before the request left to the check before the next request", async () => {
    const { taskId, grantId } = await freshTask("notes-index");
    const attempt = { ...(await runningAttempt(taskId)), grantId };
    await changeTask(person, { action: "pause", taskId });
    applyRevocationNotice({ taskIds: [taskId], reason: "paused" });
    const since = performance.now();
    expect(await outcome(attempt, since)).toBe("may go on");
    expect(await stopReason(attempt)).toBe("RunStopped: stopped: paused");
  });
});

// Last in this file: the shutdown flag cannot be cleared within a process (a worker stops only once).
describe("a worker that is shutting down", () => {
  it("hands every run back at its next check, even one that may otherwise act", async () => {
    const { taskId } = await freshTask("notes-index");
    const attempt = await runningAttempt(taskId);
    expect(await stopReason(attempt)).toBe("may act");
    beginWorkerShutdown();
    expect(await stopReason(attempt)).toBe("RunHandedBack: worker stopping");
  });
});
