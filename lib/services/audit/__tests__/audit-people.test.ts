import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../db";
import { AppError } from "../../../errors";
import { exportAuditEvents } from "../export-audit-events";
import { searchAuditEvents } from "../search-audit-events";
import { makeRun, readStream } from "./audit-fixtures";

const run = makeRun();
const carolName = `carol-${run.id}`;
const carolSub = `sub-carol-${run.id}`;

beforeAll(async () => {
  await db().user.create({ data: { sub: carolSub, username: carolName, name: "Carol Example" } });
  await db().user.create({ data: { sub: run.alice, username: `alice-${run.id}`, name: null } });
  await run.record({ subject: carolSub, action: "token.refresh", correlationId: `people-${run.id}` });
  await run.record({
    subject: run.alice,
    action: "consent.granted",
    actor: run.alice,
    actorType: "user",
    correlationId: `people-${run.id}`,
  });
});

afterAll(async () => {
  await db().user.deleteMany({ where: { sub: { in: [carolSub, run.alice] } } });
  await db().$disconnect();
});

describe("audit trail names people", () => {
  it("names actors and subjects from the User table and leaves client ids out", async () => {
    const page = await searchAuditEvents(run.admin, { correlationId: `people-${run.id}` });
    expect(page.rows).toHaveLength(2);
    expect(page.people[carolSub]).toEqual({ username: carolName, name: "Carol Example" });
    expect(page.people[run.alice]).toEqual({ username: `alice-${run.id}`, name: null });
    expect(page.people["nextcloud-mcp-server"]).toBeUndefined();
  });

  it("accepts a username (any case) as the 'on behalf of' filter", async () => {
    const byName = await searchAuditEvents(run.admin, { subject: carolName.toUpperCase(), correlationId: `people-${run.id}` });
    expect(byName.rows.map((r) => r.action)).toEqual(["token.refresh"]);
    const bySub = await searchAuditEvents(run.admin, { subject: carolSub, correlationId: `people-${run.id}` });
    expect(bySub.rows.map((r) => r.seq)).toEqual(byName.rows.map((r) => r.seq));
  });

  it("accepts a username as the actor filter, and an unknown name matches nothing", async () => {
    const actor = await searchAuditEvents(run.admin, { actor: `alice-${run.id}`, correlationId: `people-${run.id}` });
    expect(actor.rows.map((r) => r.action)).toEqual(["consent.granted"]);
    const nobody = await searchAuditEvents(run.admin, { subject: `nobody-${run.id}`, correlationId: `people-${run.id}` });
    expect(nobody.rows).toEqual([]);
  });

  it("free text that is a person's username or display name finds their events (their sub is what the rows hold)", async () => {
    for (const q of [carolName.toUpperCase(), "carol example"]) {
      const page = await searchAuditEvents(run.admin, { q, correlationId: `people-${run.id}` });
      expect(page.rows.map((r) => r.subject)).toEqual([carolSub]);
    }
    const asActor = await searchAuditEvents(run.admin, { q: `alice-${run.id}`, correlationId: `people-${run.id}` });
    expect(asActor.rows.map((r) => r.action)).toEqual(["consent.granted"]);
    // The export takes the same filter: its rows are the page's rows.
    const exp = await exportAuditEvents(run.admin, { q: carolName, correlationId: `people-${run.id}`, format: "json" });
    const events = (await readStream(exp.stream)).text
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => JSON.parse(l) as { seq: string });
    expect(events.map((e) => e.seq)).toEqual(
      (await searchAuditEvents(run.admin, { q: carolName, correlationId: `people-${run.id}` })).rows.map((r) => r.seq),
    );
  });

  it("still refuses a non-admin who names someone else by username", async () => {
    const error = await searchAuditEvents(run.asAlice, { subject: carolName }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("Forbidden");
  });
});
