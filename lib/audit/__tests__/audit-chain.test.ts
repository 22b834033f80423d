import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { GENESIS_HASH, hashEvent } from "../canonical-event";
import { auditRecorder, recordAuditEvent, recordAuditEvents } from "../record-event";
import { verifyAuditChain } from "../verify-chain";
import type { TAuditInput } from "../types";
import { superuserUrl } from "./as-role";
import { fakeJwt } from "@/test/fake-jwt";
import { testAuditAction } from "@/test/test-audit-action";

const run = randomUUID().slice(0, 8);

function event(overrides: Partial<TAuditInput> = {}): TAuditInput {
  return {
    actor: "nextcloud-mcp-server",
    actorType: "client",
    subject: `user-${run}`,
    action: "nextcloud.request",
    resource: "/ocs/v2.php/cloud/user",
    outcome: "success",
    correlationId: `corr-${run}`,
    mechanism: "offline-refresh",
    details: { status: 200 },
    ...overrides,
  };
}

// A raw superuser connection: the only way to reach the table behind the application's back.
async function withRawClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: superuserUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await db().$disconnect();
});

describe("recordAuditEvent", () => {
  it("links each row to the previous row's hash and stores a hash of its canonical content", async () => {
    const first = await recordAuditEvent(event({ action: "consent.granted" }));
    const second = await recordAuditEvent(event({ action: "token.refresh" }));
    expect(second.prevHash).toBe(first.hash);
    expect(second.seq).toBeGreaterThan(first.seq);

    const stored = await db().auditEvent.findUniqueOrThrow({ where: { seq: second.seq } });
    expect(stored.hash).toBe(second.hash);
    expect(hashEvent(stored)).toBe(stored.hash);
    expect(stored.at.getTime()).toBeGreaterThanOrEqual(first.at.getTime());
    // The first row links to exactly the row before it, or to genesis when it is the very first row.
    const before = await db().auditEvent.findFirst({ where: { seq: { lt: first.seq } }, orderBy: { seq: "desc" } });
    expect(first.prevHash).toBe(before ? before.hash : GENESIS_HASH);
  });

  it("hashes in PostgreSQL exactly what the verifier recomputes, whatever the text (escapes, emoji, nested JSON)", async () => {
    const tricky = [
      event({
        resource: 'tab\there "quoted" back\\slash \u2028 ünïcødé \ud83d\ude00',
        details: { z: [1.5, null, true], a: { "k\u0001": "\n" } },
      }),
      event({ subject: null, details: undefined, actChain: { sub: "w", act: { sub: "x" } }, errorCode: "invalid_grant" }),
      event({ actor: ',"at":"', resource: ',"prevHash":"', details: { seq: ',"seq":"' } }),
    ];
    const written = await recordAuditEvents(tricky);
    expect(written.map((w) => w.prevHash).slice(1)).toEqual(written.map((w) => w.hash).slice(0, -1));
    for (const w of written) {
      const stored = await db().auditEvent.findUniqueOrThrow({ where: { seq: w.seq } });
      expect(stored.hash).toBe(w.hash);
      expect(hashEvent(stored)).toBe(stored.hash);
      expect(stored.at.getTime()).toBe(w.at.getTime());
    }
  });

  it("keeps one valid chain when many writers append at the same time", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => auditRecorder(event({ action: "nextcloud.request", details: { i } }))),
    );
    expect(results).toHaveLength(30);
    const rows = await db().auditEvent.findMany({
      where: { correlationId: `corr-${run}` },
      orderBy: { seq: "asc" },
    });
    const hashes = new Set(rows.map((r) => r.prevHash));
    expect(hashes.size).toBe(rows.length);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("never stores token material, whatever the caller passes", async () => {
    const jwt = fakeJwt({ sub: "alice", aud: "nextcloud" }, { alg: "RS256" });
    const opaque = `opaque-refresh-${run}-secretvalue`;
    const { seq } = await recordAuditEvent(
      event({
        action: "token.exchange",
        resource: `https://kc.example/cb?code=authcode${run}&state=1&access_token=${opaque}`,
        errorCode: `invalid_grant ${jwt}`,
        details: {
          access_token: `at-${opaque}`,
          nested: { refresh_token: opaque, note: `got ${jwt} back`, headers: { authorization: `Bearer ${opaque}` } },
          list: [jwt, { id_token: jwt }],
          message: `Authorization: Bearer ${opaque}`,
        },
        actChain: { sub: "worker", token: jwt },
      }),
    );
    const raw = await withRawClient(async (c) => (await c.query(`SELECT * FROM "AuditEvent" WHERE seq = $1`, [seq.toString()])).rows[0]);
    const text = JSON.stringify(raw);
    expect(text).not.toContain(opaque);
    expect(text).not.toContain(`authcode${run}`);
    expect(text).not.toContain("eyJhbGciOiJSUzI1NiJ9");
    expect(raw.details.access_token).toBe("[redacted]");
    expect(raw.details.nested.note).toBe("got [redacted-jwt] back");
    expect(raw.resource).toContain("state=1");
  });
});

describe("append-only table", () => {
  it("refuses UPDATE, DELETE and TRUNCATE from ordinary statements", async () => {
    const { seq } = await recordAuditEvent(event({ action: testAuditAction("audit.append-only-probe") }));
    await withRawClient(async (c) => {
      await expect(c.query(`UPDATE "AuditEvent" SET outcome = 'failure' WHERE seq = $1`, [seq.toString()])).rejects.toThrow(
        /append-only: UPDATE refused/,
      );
      await expect(c.query(`DELETE FROM "AuditEvent" WHERE seq = $1`, [seq.toString()])).rejects.toThrow(/append-only: DELETE refused/);
      await expect(c.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    });
    await expect(db().auditEvent.update({ where: { seq }, data: { outcome: "failure" } })).rejects.toThrow();
    expect((await db().auditEvent.findUniqueOrThrow({ where: { seq } })).outcome).toBe("success");
  });
});

describe("verifyAuditChain", () => {
  it("reports the first broken link exactly at a row altered directly in SQL, and recovers when restored", async () => {
    const written = [];
    for (let i = 0; i < 5; i += 1) written.push(await recordAuditEvent(event({ action: "task.run", details: { step: i } })));
    const target = written[2]!.seq.toString();
    expect(await verifyAuditChain({ walk: { chunkBytes: 16 * 1024, threads: 2 } })).toMatchObject({ ok: true });

    // Tamper in one transaction so no other session ever sees the trigger disabled.
    const tamper = (outcome: string) =>
      withRawClient(async (c) => {
        await c.query("BEGIN");
        await c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
        await c.query(`UPDATE "AuditEvent" SET outcome = $2 WHERE seq = $1`, [target, outcome]);
        await c.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
        await c.query("COMMIT");
      });

    await tamper("failure");
    try {
      const broken = await verifyAuditChain({ walk: { chunkBytes: 16 * 1024, threads: 2 } });
      expect(broken).toMatchObject({ ok: false, firstBrokenSeq: target });
      expect(broken.reason).toMatch(/hash does not match/);
    } finally {
      await tamper("success");
    }
    expect(await verifyAuditChain({ walk: { chunkBytes: 16 * 1024, threads: 2 } })).toMatchObject({ ok: true });
  });

  it("reports a removed row at the row that follows the gap", async () => {
    const written = [];
    for (let i = 0; i < 3; i += 1) written.push(await recordAuditEvent(event({ action: "task.run", details: { gap: i } })));
    const removed = written[1]!;
    const row = await db().auditEvent.findUniqueOrThrow({ where: { seq: removed.seq } });
    await withRawClient(async (c) => {
      await c.query("BEGIN");
      await c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await c.query(`DELETE FROM "AuditEvent" WHERE seq = $1`, [removed.seq.toString()]);
      await c.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
      await c.query("COMMIT");
    });
    try {
      expect(await verifyAuditChain()).toMatchObject({ ok: false, firstBrokenSeq: written[2]!.seq.toString() });
    } finally {
      await db().auditEvent.create({ data: { ...row, actChain: undefined, details: row.details ?? undefined } });
    }
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });
});

describe("recordAuditEvents", () => {
  it("appends a batch in order as one piece of the chain", async () => {
    const batch = await recordAuditEvents([event({ details: { b: 1 } }), event({ details: { b: 2 } }), event({ details: { b: 3 } })]);
    expect(batch[1]!.prevHash).toBe(batch[0]!.hash);
    expect(batch[2]!.prevHash).toBe(batch[1]!.hash);
    expect(batch[2]!.seq).toBeGreaterThan(batch[0]!.seq);
    expect(await recordAuditEvents([])).toEqual([]);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });
});
