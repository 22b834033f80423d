import { mkdtempSync, readdirSync, readFileSync, chmodSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { auditConfig } from "../audit-config";
import { closeAuditPool } from "../audit-pool";
import { checkCheckpoint, checkpointDigest, type TCheckpoint } from "../checkpoint";
import { fileCheckpointStore, type TCheckpointStore } from "../checkpoint-store";
import { recordAuditEvents } from "../record-event";
import { verifyAuditChain } from "../verify-chain";
import { writeAuditCheckpoint } from "../write-checkpoint";
import type { TAuditInput } from "../types";
import { hashEvent } from "../canonical-event";
import { sanitizeAuditInput } from "../sanitize-audit-input";
import { editAndRehash, poolOver, rehashFrom, withTamperSession } from "./tamper-session";

const run = randomUUID().slice(0, 8);
const event = (i: number): TAuditInput => ({
  actor: "nextcloud-mcp-server",
  actorType: "client",
  subject: `user-${run}`,
  action: "nextcloud.request",
  resource: "/remote.php/dav/files/alice/",
  outcome: "success",
  correlationId: `ckpt-${run}`,
  details: { i },
});

let dir: string;
let store: TCheckpointStore;
const keys = () => auditConfig().verifyKeys;
const opts = () => ({ store, keys: keys(), signingKey: auditConfig().signingKey, verifyKeys: keys() });
let first: TCheckpoint;
let beforeEdit: TCheckpoint;
let latest: TCheckpoint;
let middle: bigint[];
let tail: bigint[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "ncdd-ckpt-test-"));
  store = fileCheckpointStore(dir);
  await recordAuditEvents([event(0), event(1)]);
  const a = await writeAuditCheckpoint(opts());
  expect(a.status).toBe("signed");
  first = a.checkpoint!;
  middle = (await recordAuditEvents([event(2), event(3), event(4)])).map((r) => r.seq);
  const b = await writeAuditCheckpoint(opts());
  beforeEdit = b.checkpoint!;
  tail = (await recordAuditEvents([event(5), event(6), event(7), event(8)])).map((r) => r.seq);
  const c = await writeAuditCheckpoint(opts());
  expect(c.status).toBe("signed");
  latest = c.checkpoint!;
});

afterAll(async () => {
  await closeAuditPool();
  await db().$disconnect();
});

describe("signed checkpoints", () => {
  it("sign the row count and head, chain to the previous one, and are only written when rows were added", async () => {
    expect(latest.headSeq).toBe(tail[tail.length - 1]!.toString());
    expect(BigInt(latest.count) - BigInt(beforeEdit.count)).toBe(4n);
    expect(latest.prev).toBe(checkpointDigest(beforeEdit));
    expect(beforeEdit.prev).toBe(checkpointDigest(first));
    expect(latest.kid).toBe("a2");
    expect(checkCheckpoint(latest, keys())).toMatchObject({ ok: true });
    expect(await writeAuditCheckpoint(opts())).toMatchObject({ status: "unchanged", checkpoint: latest });
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it("cannot be altered or forged: a changed count, a foreign key or a rewritten file fails the signature", async () => {
    expect(checkCheckpoint({ ...latest, count: String(BigInt(latest.count) + 1n) }, keys())).toMatchObject({
      ok: false,
      reason: /signature does not verify/,
    });
    expect(checkCheckpoint({ ...latest, kid: "zz" }, keys())).toMatchObject({ ok: false, reason: /not configured/ });
    expect(checkCheckpoint({ nonsense: true }, keys())).toMatchObject({ ok: false });
    // An attacker with write access to the store replaces the newest file: the verifier refuses it.
    const newest = readdirSync(dir).sort().at(-1)!;
    const file = path.join(dir, newest);
    const original = readFileSync(file, "utf8");
    chmodSync(file, 0o644);
    writeFileSync(file, JSON.stringify({ ...latest, headSeq: middle[0]!.toString() }));
    try {
      const result = await verifyAuditChain({ store, keys: keys() });
      expect(result).toMatchObject({ ok: false, kind: "checkpoint-invalid" });
      expect(await writeAuditCheckpoint(opts())).toMatchObject({ status: "refused" });
    } finally {
      writeFileSync(file, original);
    }
    expect(await verifyAuditChain({ store, keys: keys() })).toMatchObject({ ok: true });
  });

  it("verify fully and incrementally against the newest checkpoint when nothing was touched", async () => {
    const full = await verifyAuditChain({ store, keys: keys() });
    expect(full).toMatchObject({ ok: true, mode: "full", checkpoint: { headSeq: latest.headSeq, count: latest.count } });
    expect(full.checkpointsChecked).toBe(3);
    const inc = await verifyAuditChain({ store, keys: keys(), mode: "incremental" });
    expect(inc).toMatchObject({ ok: true, mode: "incremental" });
    expect(inc.checked).toBeLessThan(full.checked);
  });
});

describe("reading the chain back", () => {
  it("reproduces the hashed time exactly, whatever the milliseconds (.000, .100, .120, .123)", async () => {
    await withTamperSession(async (c) => {
      const last = (
        await c.query<{ seq: string; hash: string }>(`SELECT e.seq::text AS seq, e.hash FROM "AuditEvent" e ORDER BY e.seq DESC LIMIT 1`)
      ).rows[0]!;
      let prevHash = last.hash;
      let seq = BigInt(last.seq);
      for (const ms of ["000", "100", "120", "123"]) {
        seq += 1n;
        const content = { ...sanitizeAuditInput(event(0)), seq, at: new Date(`2099-01-01T00:00:00.${ms}Z`), prevHash };
        const hash = hashEvent(content);
        await c.query(
          `INSERT INTO "AuditEvent" (seq, "at", actor, "actorType", subject, action, resource, outcome, "correlationId", details, "prevHash", hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            seq.toString(),
            content.at,
            content.actor,
            content.actorType,
            content.subject,
            content.action,
            content.resource,
            content.outcome,
            content.correlationId,
            JSON.stringify(content.details),
            prevHash,
            hash,
          ],
        );
        prevHash = hash;
      }
      const r = await verifyAuditChain({ db: c, store, keys: keys(), mode: "incremental" });
      expect(r).toMatchObject({ ok: true, checked: 4 });
    });
  });
});

describe("a superuser rewriting history behind the app's back (stolen owner credentials)", () => {
  it("deleting the newest rows is reported with the gap, fully and incrementally; without a checkpoint it was not", async () => {
    await withTamperSession(async (c) => {
      await c.query(`DELETE FROM "AuditEvent" WHERE seq >= $1`, [tail[1]!.toString()]);
      // The old verifier's view: the chain that is left is perfectly consistent in itself.
      const blind = await verifyAuditChain({
        db: c,
        store: fileCheckpointStore(mkdtempSync(path.join(tmpdir(), "ncdd-empty-"))),
        keys: keys(),
      });
      expect(blind).toMatchObject({ ok: true });

      for (const mode of ["full", "incremental"] as const) {
        const r = await verifyAuditChain({ db: c, store, keys: keys(), mode });
        expect(r, mode).toMatchObject({
          ok: false,
          kind: "missing-tail",
          firstBrokenSeq: tail[1]!.toString(),
          gap: { afterSeq: tail[0]!.toString(), missingRows: "3", throughSeq: latest.headSeq },
          mode: "full",
        });
        expect(r.reason).toMatch(/3 rows after seq \d+ were deleted/);
      }
    });
  });

  it("editing a row and re-hashing every later row is reported at that row (the first after the last matching checkpoint)", async () => {
    const target = tail[0]!;
    expect(BigInt(beforeEdit.headSeq)).toBe(target - 1n);
    await withTamperSession(async (c) => {
      await editAndRehash(c, target, { outcome: "failure" });
      // In itself the rewritten chain is flawless: only the signed checkpoint gives it away.
      expect(
        await verifyAuditChain({ db: c, store: fileCheckpointStore(mkdtempSync(path.join(tmpdir(), "ncdd-empty-"))), keys: keys() }),
      ).toMatchObject({ ok: true });
      const r = await verifyAuditChain({ db: c, store, keys: keys() });
      expect(r).toMatchObject({ ok: false, kind: "rewritten", firstBrokenSeq: target.toString() });
      expect(r.reason).toMatch(new RegExp(`between seq ${target} and seq ${latest.headSeq}`));
      expect(await verifyAuditChain({ db: c, store, keys: keys(), mode: "incremental" })).toMatchObject({
        ok: false,
        firstBrokenSeq: target.toString(),
      });
      // And the worker refuses to sign the rewritten history as a new checkpoint.
      await recordTamperedRow(c);
      const signed = await writeAuditCheckpoint({ ...opts(), pool: poolOver(c) });
      expect(signed).toMatchObject({ status: "refused", checkpoint: latest });
    });
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it("replacing the whole table with a forged chain (same seqs, same count) is reported from the first row", async () => {
    await withTamperSession(async (c) => {
      const { rows } = await c.query<{ seq: string }>(`SELECT min(seq)::text AS seq FROM "AuditEvent"`);
      await c.query(`UPDATE "AuditEvent" SET actor = 'forged'`);
      await rehashFrom(c, BigInt(rows[0]!.seq));
      const r = await verifyAuditChain({ db: c, store, keys: keys() });
      expect(r).toMatchObject({ ok: false, kind: "rewritten", firstBrokenSeq: rows[0]!.seq });
      expect(r.reason).toMatch(/rewritten from the first row/);
    });
  });

  it("rows appended after deleting the newest ones (the app carrying on) do not hide the gap", async () => {
    await withTamperSession(async (c) => {
      await c.query(`DELETE FROM "AuditEvent" WHERE seq >= $1`, [tail[2]!.toString()]);
      // What the app's own writer does next: link to the last row it finds, with the next seq of the sequence.
      await recordTamperedRow(c, BigInt(latest.headSeq) + 50n);
      for (const mode of ["full", "incremental"] as const) {
        const r = await verifyAuditChain({ db: c, store, keys: keys(), mode });
        expect(r, mode).toMatchObject({
          ok: false,
          kind: "missing-rows",
          firstBrokenSeq: tail[2]!.toString(),
          gap: { afterSeq: tail[1]!.toString(), missingRows: "2" },
        });
      }
    });
  });

  it("a forked history (newest rows swapped for others, re-hashed, new seqs) is reported where it forks", async () => {
    await withTamperSession(async (c) => {
      await c.query(`DELETE FROM "AuditEvent" WHERE seq >= $1`, [tail[0]!.toString()]);
      const [{ seq }] = (await c.query<{ seq: string }>(`SELECT max(seq)::text AS seq FROM "AuditEvent"`)).rows as [{ seq: string }];
      for (let i = 1; i <= 6; i += 1) {
        await c.query(
          `INSERT INTO "AuditEvent" (seq, "at", actor, "actorType", action, outcome, "correlationId", "prevHash", hash)
           VALUES ($1, now(), 'fork', 'system', 'fork', 'success', 'fork', '', '')`,
          [(BigInt(latest.headSeq) + BigInt(i)).toString()],
        );
      }
      await rehashFrom(c, BigInt(seq) + 1n);
      const r = await verifyAuditChain({ db: c, store, keys: keys() });
      // The forged rows link perfectly to what is left; the signed checkpoint still names the 4 rows that went.
      expect(r).toMatchObject({
        ok: false,
        kind: "missing-rows",
        firstBrokenSeq: tail[0]!.toString(),
        gap: { afterSeq: seq, missingRows: "4", throughSeq: latest.headSeq },
      });
      expect(r.reason).toMatch(
        new RegExp(`${BigInt(latest.headSeq) + 1n} is the next row the table has — 4 rows after seq ${seq} were deleted`),
      );
    });
  });
});

// A row appended inside the tampered session, so the signer has something new it would sign.
// (seq: what nextval would give, i.e. above every seq ever used; default the next after the last row.)
async function recordTamperedRow(c: import("pg").Client, seq?: bigint): Promise<void> {
  const last = (
    await c.query<{ seq: string; hash: string }>(`SELECT e.seq::text AS seq, e.hash FROM "AuditEvent" e ORDER BY e.seq DESC LIMIT 1`)
  ).rows[0]!;
  const at = seq ?? BigInt(last.seq) + 1n;
  await c.query(
    `INSERT INTO "AuditEvent" (seq, "at", actor, "actorType", action, outcome, "correlationId", "prevHash", hash) VALUES ($1, now(), 'x', 'system', 'x', 'success', 'x', $2, '')`,
    [at.toString(), last.hash],
  );
  await rehashFrom(c, at);
}
