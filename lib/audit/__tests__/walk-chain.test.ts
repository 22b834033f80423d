import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { recordAuditEvents, type TRecordedAuditEvent } from "../record-event";
import { fileCheckpointStore } from "../checkpoint-store";
import { verifyAuditChain } from "../verify-chain";
import { withTamperSession } from "./tamper-session";
import { testAuditAction } from "@/test/test-audit-action";

/**
 * The chain walk reads rows through COPY's text format and may hash them on worker threads in blocks: content
 * that COPY escapes must hash exactly as written, and whatever the threads and block boundaries, the walk
 * must name the same first bad row as a walk on one thread.
 */
const run = randomUUID().slice(0, 8);
let rows: TRecordedAuditEvent[];

// Text COPY escapes (tab, newline, CR, backslash), \N look-alikes, quotes, non-ASCII, JSON nesting.
const awkward = ["tab\there", "line\nbreak\r\n", "back\\slash \\N \\t", '"quoted", comma', "ünïcødé \u2028 😀", "\\"];

beforeAll(async () => {
  rows = await recordAuditEvents(
    Array.from({ length: 60 }, (_, i) => ({
      actor: `walker-${run}`,
      actorType: "system" as const,
      subject: i % 3 ? awkward[i % awkward.length]! : null,
      action: testAuditAction("walk.test"),
      resource: awkward[(i + 1) % awkward.length]!,
      outcome: "success" as const,
      correlationId: `walk-${run}-${i}`,
      details: { i, text: awkward[i % awkward.length]!, nested: { list: [awkward[(i + 2) % awkward.length]!, null, 1.5] } },
    })),
  );
});

const walks = [{ threads: 0 }, { threads: 2, chunkBytes: 2 * 1024 }, { threads: 3, chunkBytes: 700 }];

function verifyWithin(c: pg.Client, walk: (typeof walks)[number]) {
  return verifyAuditChain({ db: c, store: fileCheckpointStore(mkdtempSync(path.join(tmpdir(), "ncdd-walk-"))), keys: [], walk });
}

describe("the chain walk through COPY and worker threads", () => {
  it("verifies rows whose text COPY escapes, in one block or many, on one thread or several", async () => {
    await withTamperSession(async (c) => {
      for (const walk of walks) expect(await verifyWithin(c, walk)).toMatchObject({ ok: true });
    });
  });

  it("names the same first bad row whatever the threads: an edited row before a removed one", async () => {
    const edited = rows[17]!.seq.toString();
    const removed = rows[41]!.seq.toString();
    await withTamperSession(async (c) => {
      await c.query(`UPDATE "AuditEvent" SET details = $2 WHERE seq = $1`, [edited, JSON.stringify({ i: 17, text: "forged\ttab" })]);
      await c.query(`DELETE FROM "AuditEvent" WHERE seq = $1`, [removed]);
      for (const walk of walks) expect(await verifyWithin(c, walk)).toMatchObject({ ok: false, kind: "altered", firstBrokenSeq: edited });
    });
  });

  it("names a removed row before a later edit, and an edit of escaped text alone", async () => {
    const removed = rows[9]!.seq;
    const edited = rows[50]!.seq.toString();
    await withTamperSession(async (c) => {
      await c.query(`DELETE FROM "AuditEvent" WHERE seq = $1`, [removed.toString()]);
      await c.query(`UPDATE "AuditEvent" SET resource = $2 WHERE seq = $1`, [edited, "line\nbreak\r"]);
      for (const walk of walks)
        expect(await verifyWithin(c, walk)).toMatchObject({ ok: false, kind: "link", firstBrokenSeq: rows[10]!.seq.toString() });
    });
    await withTamperSession(async (c) => {
      await c.query(`UPDATE "AuditEvent" SET resource = $2 WHERE seq = $1`, [edited, "line\nbreak\r"]);
      for (const walk of walks) expect(await verifyWithin(c, walk)).toMatchObject({ ok: false, kind: "altered", firstBrokenSeq: edited });
    });
  });
});
