import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../db";
import { AppError } from "../../../errors";
import { searchAuditEvents } from "../search-audit-events";
import { makeRun } from "./audit-fixtures";
import { testAuditAction } from "@/test/test-audit-action";

const run = makeRun();
const corr = `corr-${run.id}`;

beforeAll(async () => {
  await run.record({ action: "consent.granted", actor: run.alice, actorType: "user", mechanism: null });
  await run.record({ action: "token.refresh", details: { grant: "g1" } });
  await run.record({ action: "nextcloud.request", resource: "/remote.php/dav/files/alice", taskId: `task-${run.id}` });
  await run.record({ action: "nextcloud.request", outcome: "failure", errorCode: "invalid_grant", taskId: `task-${run.id}` });
  await run.record({
    subject: run.bob,
    action: "token.exchange",
    mechanism: "token-exchange",
    details: { path: `/Notes/needle-${run.id}.md` },
  });
  await run.record({ subject: run.bob, action: "revocation.confirmed", outcome: "success", details: { note: "100%_done" } });
});

afterAll(async () => {
  await db().$disconnect();
});

async function expectError(promise: Promise<unknown>, code: string, message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
}

describe("searchAuditEvents as admin", () => {
  it("returns every matching row newest first", async () => {
    const { rows, nextCursor } = await searchAuditEvents(run.admin, { correlationId: corr });
    expect(rows.map((r) => r.action)).toEqual([
      "revocation.confirmed",
      "token.exchange",
      "nextcloud.request",
      "nextcloud.request",
      "token.refresh",
      "consent.granted",
    ]);
    expect(nextCursor).toBeNull();
    expect(rows[0]).toMatchObject({ subject: run.bob, outcome: "success", correlationId: corr });
    expect(typeof rows[0]!.seq).toBe("string");
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("filters by subject, actor, action, outcome and task", async () => {
    const bySubject = await searchAuditEvents(run.admin, { correlationId: corr, subject: run.bob });
    expect(bySubject.rows.map((r) => r.action)).toEqual(["revocation.confirmed", "token.exchange"]);
    const byActor = await searchAuditEvents(run.admin, { actor: run.alice });
    expect(byActor.rows.map((r) => r.action)).toEqual(["consent.granted"]);
    const byAction = await searchAuditEvents(run.admin, { correlationId: corr, action: "nextcloud.request", outcome: "failure" });
    expect(byAction.rows).toHaveLength(1);
    expect(byAction.rows[0]!.errorCode).toBe("invalid_grant");
    const byTask = await searchAuditEvents(run.admin, { taskId: `task-${run.id}` });
    expect(byTask.rows).toHaveLength(2);
  });

  it("finds free text inside details and error codes, treating % and _ literally", async () => {
    const needle = await searchAuditEvents(run.admin, { q: `NEEDLE-${run.id}` });
    expect(needle.rows.map((r) => r.action)).toEqual(["token.exchange"]);
    const code = await searchAuditEvents(run.admin, { correlationId: corr, q: "invalid_grant" });
    expect(code.rows).toHaveLength(1);
    const literal = await searchAuditEvents(run.admin, { correlationId: corr, q: "100%_" });
    expect(literal.rows.map((r) => r.action)).toEqual(["revocation.confirmed"]);
    const wildcard = await searchAuditEvents(run.admin, { correlationId: corr, q: "%%%" });
    expect(wildcard.rows).toHaveLength(0);
  });

  it("restricts to a half-open time range", async () => {
    const all = (await searchAuditEvents(run.admin, { correlationId: corr })).rows;
    const oldest = all[all.length - 1]!;
    const third = all[3]!;
    const from = new Date(third.at);
    const inRange = await searchAuditEvents(run.admin, { correlationId: corr, from: from.toISOString() });
    expect(inRange.rows.every((r) => new Date(r.at) >= from)).toBe(true);
    expect(inRange.rows.map((r) => r.seq)).toContain(third.seq);
    const before = await searchAuditEvents(run.admin, { correlationId: corr, to: new Date(oldest.at) });
    expect(before.rows).toHaveLength(0);
    const future = await searchAuditEvents(run.admin, { correlationId: corr, from: new Date(Date.now() + 3_600_000) });
    expect(future.rows).toHaveLength(0);
  });

  it("pages with an opaque cursor, without gaps or repeats, even while rows are appended", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await searchAuditEvents(run.admin, { correlationId: corr, limit: 4, cursor });
      seen.push(...page.rows.map((r) => r.seq));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
      if (pages === 1) await run.record({ action: testAuditAction("appended.meanwhile"), correlationId: `other-${run.id}` });
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect([...seen].sort((a, b) => Number(BigInt(b) - BigInt(a)))).toEqual(seen);
  });
});

describe("searchAuditEvents as an ordinary user", () => {
  it("sees only events about themselves when no subject is given", async () => {
    const { rows } = await searchAuditEvents(run.asAlice, { correlationId: corr });
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.subject === run.alice)).toBe(true);
    const text = await searchAuditEvents(run.asAlice, { q: `needle-${run.id}` });
    expect(text.rows).toHaveLength(0);
  });

  it("may name themselves as subject, and is refused for anyone else", async () => {
    const own = await searchAuditEvents(run.asAlice, { subject: run.alice, correlationId: corr });
    expect(own.rows).toHaveLength(4);
    await expectError(searchAuditEvents(run.asAlice, { subject: run.bob }), "Forbidden");
  });
});

describe("searchAuditEvents input validation", () => {
  it("rejects bad input with BadInput naming the problem", async () => {
    await expectError(searchAuditEvents(run.admin, { limit: 500 }), "BadInput", /limit: limit must be at most 200/);
    await expectError(searchAuditEvents(run.admin, { limit: 0 }), "BadInput", /limit/);
    await expectError(searchAuditEvents(run.admin, { cursor: "not-a-cursor" }), "BadInput", /cursor/);
    await expectError(searchAuditEvents(run.admin, { from: "yesterday-ish" }), "BadInput", /from must be a date-time/);
    await expectError(
      searchAuditEvents(run.admin, { from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z" }),
      "BadInput",
      /to must be after from/,
    );
    await expectError(searchAuditEvents(run.admin, { q: "ab" }), "BadInput", /at least 3 characters/);
    await expectError(searchAuditEvents(run.admin, { outcome: "maybe" }), "BadInput", /outcome/);
    await expectError(searchAuditEvents(run.admin, { sort: "asc" } as never), "BadInput", /sort/);
  });

  it("treats empty strings from forms as unset", async () => {
    const { rows } = await searchAuditEvents(run.admin, { correlationId: corr, subject: "", q: "", cursor: "" });
    expect(rows).toHaveLength(6);
  });
});
