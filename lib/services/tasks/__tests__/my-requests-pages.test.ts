import { describe, expect, it } from "vitest";
import { makeRun } from "../../audit/__tests__/audit-fixtures";
import { listMyRequests } from "../list-my-requests";

// The /tasks feed shows 25 requests and an "Older" control that pages through the rest with a cursor.
// Database only: audit rows of this file's own made-up people.
describe("the request feed's older pages", () => {
  it("walks every request once, newest first, 25 at a time, and says when there is nothing older", async () => {
    const run = makeRun();
    for (let i = 0; i < 30; i++) await run.record({ subject: run.alice, resource: `GET /page-${run.id}/${i}` });
    await run.record({ subject: run.bob, resource: `GET /bob-${run.id}` });

    const first = await listMyRequests(run.asAlice);
    expect(first.rows).toHaveLength(25);
    expect(first.nextCursor).not.toBeNull();
    const second = await listMyRequests(run.asAlice, { cursor: first.nextCursor! });
    expect(second.rows).toHaveLength(5);
    expect(second.nextCursor).toBeNull();

    const paths = [...first.rows, ...second.rows].map((r) => r.path);
    expect(paths).toEqual(Array.from({ length: 30 }, (_, i) => `/page-${run.id}/${29 - i}`));
    const seqs = [...first.rows, ...second.rows].map((r) => BigInt(r.seq));
    expect(seqs.every((s, i) => i === 0 || s < seqs[i - 1]!)).toBe(true);
  });

  it("refuses a cursor that is not one", async () => {
    const run = makeRun();
    await expect(listMyRequests(run.asAlice, { cursor: "not-a-cursor" })).rejects.toThrow();
  });
});
