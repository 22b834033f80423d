import { describe, expect, it } from "vitest";
import { makeRun } from "../../audit/__tests__/audit-fixtures";
import { readTaskBoard } from "../read-task-board";

// The /tasks feed is personal: an admin (who may search everyone's events on the audit page) sees only the
// requests made on their own behalf there. Database only: audit rows of this file's own made-up people.
describe("the personal request feed", () => {
  it("shows an admin only the requests made for them, and a person only theirs", async () => {
    const run = makeRun();
    await run.record({ subject: run.alice, resource: `GET /alice-${run.id}` });
    await run.record({ subject: run.admin.userSub, resource: `GET /admin-${run.id}` });

    const forAdmin = await readTaskBoard(run.admin);
    expect(forAdmin.requests.map((r) => r.path)).toEqual([`/admin-${run.id}`]);

    const forAlice = await readTaskBoard(run.asAlice);
    expect(forAlice.requests.map((r) => r.path)).toEqual([`/alice-${run.id}`]);
  });
});
