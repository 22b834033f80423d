import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { changeTask } from "../change-task";
import { createLocalGrant, createLocalPerson, createLocalTask } from "@/test/fixtures/local-grant";

type TPersonCtx = Awaited<ReturnType<typeof createLocalPerson>>;
let owner: TPersonCtx;
let other: TPersonCtx;
let taskId: string;
let grantId: string;

beforeAll(async () => {
  owner = await createLocalPerson("task-owner");
  other = await createLocalPerson("task-intruder");
  grantId = await createLocalGrant(owner.userSub);
  taskId = await createLocalTask(owner.userSub, grantId, "notes-index");
  // The intruder has a task and grant of their own, so "no task at all" cannot explain a refusal.
  await createLocalTask(other.userSub, await createLocalGrant(other.userSub), "notes-index");
});

const snapshot = async () => {
  const task = await db().task.findUniqueOrThrow({ where: { id: taskId } });
  const grant = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
  const audit = await db().auditEvent.count({ where: { taskId } });
  return { task, grantStatus: grant.status, audit };
};

describe("changing a task", () => {
  const actions = [
    { action: "pause" },
    { action: "resume" },
    { action: "run-now" },
    { action: "interval", intervalMinutes: 15 },
    { action: "revoke" },
  ] as const;

  for (const change of actions) {
    it(`refuses another person's task id for "${change.action}" as NotFound and changes nothing`, async () => {
      const before = await snapshot();
      await expect(changeTask(other, { ...change, taskId })).rejects.toMatchObject({ code: "NotFound" });
      expect(await snapshot()).toEqual(before);
    });
  }

  it("lets the owner pause the same task (the refusal above is about the caller, not the task)", async () => {
    expect(await changeTask(owner, { action: "pause", taskId })).toEqual({ status: "paused" });
    const task = await db().task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ status: "paused", nextRunAt: null, stoppedReason: "paused by the user" });
  });
});
