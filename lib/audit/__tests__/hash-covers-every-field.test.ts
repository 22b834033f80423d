import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { recordAuditEvents } from "../record-event";
import { verifyAuditChain } from "../verify-chain";
import { fileCheckpointStore } from "../checkpoint-store";
import { editAndRehash, withTamperSession } from "./tamper-session";

/**
 * A thief with the superuser's credentials edits one column of one row (triggers off, in a transaction
 * that is rolled back). Whatever column it is, the verifier reports exactly that row as altered: the hash
 * covers every stored field, not only `outcome`. Time order is checked separately: a row moved before its
 * predecessor and re-hashed is consistent in its hashes, and still refused.
 */
const run = randomUUID().slice(0, 8);
let rows: { seq: bigint; at: Date }[];

beforeAll(async () => {
  rows = await recordAuditEvents(
    [0, 1, 2].map((i) => ({
      actor: `actor-${run}`,
      actorType: "user" as const,
      subject: `subject-${run}`,
      actChain: { sub: "nextcloud-mcp-server", act: { sub: `actor-${run}` } },
      action: "task.run",
      resource: `task:notes-index`,
      outcome: "success" as const,
      errorCode: "none",
      correlationId: `corr-${run}`,
      mechanism: "offline-refresh",
      details: { step: i, note: "original" },
    })),
  );
});

const emptyStore = () => fileCheckpointStore(mkdtempSync(path.join(tmpdir(), "ncdd-empty-")));

async function verifyWithin(c: pg.Client) {
  return verifyAuditChain({ db: c, store: emptyStore(), keys: [] });
}

describe("the audit hash covers every stored field", () => {
  const edits: Record<string, string> = {
    actor: "someone-else",
    actorType: "admin",
    subject: "another-person",
    actChain: JSON.stringify({ sub: "attacker" }),
    action: "task.pause",
    resource: "task:files-inventory",
    outcome: "failure",
    errorCode: "invalid_grant",
    taskId: "task-that-never-was",
    correlationId: "corr-forged",
    mechanism: "impersonation",
    details: JSON.stringify({ step: 1, note: "forged" }),
    at: "2026-01-01T00:00:00.000Z",
  };

  it("sees the untouched chain as intact (so each refusal below is caused by its edit)", async () => {
    await withTamperSession(async (c) => expect(await verifyWithin(c)).toMatchObject({ ok: true }));
  });

  for (const [column, value] of Object.entries(edits)) {
    it(`reports the row whose ${column} was edited`, async () => {
      const target = rows[1]!.seq.toString();
      await withTamperSession(async (c) => {
        const changed = await c.query(`UPDATE "AuditEvent" SET "${column}" = $2 WHERE seq = $1`, [target, value]);
        expect(changed.rowCount).toBe(1);
        expect(await verifyWithin(c)).toMatchObject({ ok: false, kind: "altered", firstBrokenSeq: target });
      });
    });
  }

  it("reports a row moved before its predecessor in time, even with every hash recomputed", async () => {
    const target = rows[2]!.seq;
    const earlier = new Date(rows[1]!.at.getTime() - 60_000).toISOString();
    await withTamperSession(async (c) => {
      await editAndRehash(c, target, { at: earlier });
      const r = await verifyWithin(c);
      expect(r).toMatchObject({ ok: false, kind: "time", firstBrokenSeq: target.toString() });
    });
  });
});
