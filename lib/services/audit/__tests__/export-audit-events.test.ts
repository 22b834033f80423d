import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvents } from "../../../audit/record-event";
import { db } from "../../../db";
import { exportAuditEvents } from "../export-audit-events";
import { escapeCsvCell } from "../format-audit-export";
import { makeRun, readStream } from "./audit-fixtures";
import { parseCsv } from "../../../audit/parse-csv";
import { checkCheckpoint } from "../../../audit/checkpoint";
import { auditConfig } from "../../../audit/audit-config";
import { testAuditAction } from "@/test/test-audit-action";

const run = makeRun();
const corr = `corr-${run.id}`;
const bulkCorr = `bulk-${run.id}`;
const BULK = 2_050;

beforeAll(async () => {
  await run.record({ action: "nextcloud.request", resource: '=HYPERLINK("http://evil","click")', details: { a: "x,y", b: 'say "hi"\nnext' } });
  await run.record({ action: "token.refresh", outcome: "failure", errorCode: "-1+2", actor: "@worker" });
  await run.record({ subject: run.bob, action: "token.exchange" });
  // Enough rows for several keyset batches (1,000 each).
  await recordAuditEvents(
    Array.from({ length: BULK }, (_, n) => ({ ...run.base, correlationId: bulkCorr, action: testAuditAction("bulk.row"), details: { n } })),
  );
});

afterAll(async () => {
  await db().$disconnect();
});

describe("escapeCsvCell", () => {
  it("quotes separators, doubles quotes and neutralises formula starts", () => {
    expect(escapeCsvCell("plain")).toBe("plain");
    expect(escapeCsvCell(null)).toBe("");
    expect(escapeCsvCell('a,"b"')).toBe('"a,""b"""');
    expect(escapeCsvCell("line1\nline2")).toBe('"line1\nline2"');
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]) expect(escapeCsvCell(s)).toBe(`"'${s}"`);
    expect(escapeCsvCell({ k: "v,w" })).toBe('"{""k"":""v,w""}"');
  });
});

describe("exportAuditEvents", () => {
  it("streams the filtered set as CSV with a header row, safe cells and hashes", async () => {
    const exp = await exportAuditEvents(run.admin, { correlationId: corr, format: "csv" });
    expect(exp.contentType).toBe("text/csv; charset=utf-8");
    expect(exp.filename).toMatch(/^audit-\d{8}T\d{6}Z\.csv$/);
    const rows = parseCsv((await readStream(exp.stream)).text);
    const [header, ...withTrailer] = rows;
    expect(header).toEqual(expect.arrayContaining(["seq", "at", "actor", "subject", "action", "details", "prevHash", "hash"]));
    const trailer = withTrailer.pop()!;
    const data = withTrailer;
    expect(data).toHaveLength(3);
    // The last row carries the checkpoint signed after the export's own record: it covers every exported row.
    expect(trailer[0]).toBe("#checkpoint");
    const signed = checkCheckpoint(JSON.parse(trailer[1]!), auditConfig().verifyKeys);
    expect(signed).toMatchObject({ ok: true });
    expect(signed.ok && BigInt(signed.checkpoint.headSeq)).toBeGreaterThan(BigInt(exp.snapshotSeq));
    expect(exp.checkpoint).toEqual(signed.ok && signed.checkpoint);
    const col = (name: string) => header!.indexOf(name);
    const first = data[2]!;
    expect(first[col("resource")]).toBe(`'=HYPERLINK("http://evil","click")`);
    expect(JSON.parse(first[col("details")]!)).toEqual({ a: "x,y", b: 'say "hi"\nnext' });
    expect(data[1]![col("errorCode")]).toBe("'-1+2");
    expect(data[1]![col("actor")]).toBe("'@worker");
    expect(data.every((r) => /^[0-9a-f]{64}$/.test(r[col("hash")]!))).toBe(true);
  });

  it("streams a large set as one JSON document (checkpoint, then events) in several batches, newest first", async () => {
    const exp = await exportAuditEvents(run.admin, { correlationId: bulkCorr, format: "json" });
    expect(exp.contentType).toBe("application/json; charset=utf-8");
    const { text, chunks } = await readStream(exp.stream);
    expect(chunks).toBeGreaterThanOrEqual(3);
    const doc = JSON.parse(text) as { type: string; snapshotSeq: string; checkpoint: unknown; events: { seq: string; details: { n: number } }[] };
    expect(doc).toMatchObject({ type: "ncdd-audit-export/v1", snapshotSeq: exp.snapshotSeq });
    expect(checkCheckpoint(doc.checkpoint, auditConfig().verifyKeys)).toMatchObject({ ok: true });
    const rows = doc.events;
    expect(rows).toHaveLength(BULK);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(BULK);
    expect(rows.every((r, i) => i === 0 || BigInt(r.seq) < BigInt(rows[i - 1]!.seq))).toBe(true);
  });

  it("exports an empty set as a header and the checkpoint trailer only, or no events", async () => {
    const csv = await exportAuditEvents(run.admin, { correlationId: `none-${run.id}` });
    expect(parseCsv((await readStream(csv.stream)).text).map((r) => r[0])).toEqual(["seq", "#checkpoint"]);
    const json = await exportAuditEvents(run.admin, { correlationId: `none-${run.id}`, format: "json" });
    expect(JSON.parse((await readStream(json.stream)).text)).toMatchObject({ events: [] });
  });

  it("records the export itself, and leaves rows written after the call out of it", async () => {
    const exp = await exportAuditEvents(run.admin, { correlationId: corr, format: "json" });
    await run.record({ action: testAuditAction("late.row") });
    const rows = (JSON.parse((await readStream(exp.stream)).text) as { events: { action: string }[] }).events;
    expect(rows.map((r) => r.action)).not.toContain("late.row");
    const recorded = await db().auditEvent.findFirst({
      where: { action: "audit.export", correlationId: run.admin.correlationId },
      orderBy: { seq: "desc" },
    });
    expect(recorded).toMatchObject({ actor: run.admin.userSub, actorType: "admin", outcome: "success" });
    expect(recorded!.details).toMatchObject({ format: "json", filter: { correlationId: corr } });
  });

  it("refuses a non-admin, records the refusal, and streams nothing", async () => {
    await expect(exportAuditEvents(run.asAlice, { format: "csv" })).rejects.toMatchObject({ code: "Forbidden" });
    const refused = await db().auditEvent.findFirst({
      where: { action: "audit.export", actor: run.alice, outcome: "refused" },
    });
    expect(refused).not.toBeNull();
  });

  it("rejects bad input before recording anything", async () => {
    await expect(exportAuditEvents(run.admin, { format: "xlsx" as "csv" })).rejects.toMatchObject({ code: "BadInput" });
    const count = await db().auditEvent.count({ where: { action: "audit.export", correlationId: run.admin.correlationId, details: { path: ["format"], equals: "xlsx" } } });
    expect(count).toBe(0);
  });
});
