import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvents } from "../../../audit/record-event";
import { db } from "../../../db";
import { exportAuditEvents } from "../export-audit-events";
import { AUDIT_EXPORT_COLUMNS, escapeCsvCell } from "../format-audit-export";
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
  await run.record({
    action: "nextcloud.request",
    resource: '=HYPERLINK("http://evil","click")',
    details: { a: "x,y", b: 'say "hi"\nnext' },
  });
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

// The rows a filter on one correlation id matches, read straight from the table, newest first, in the
// export's value forms (seq as text, time as ISO-8601).
async function storedRows(correlationId: string) {
  const rows = await db().auditEvent.findMany({ where: { correlationId }, orderBy: { seq: "desc" } });
  return rows.map((r) => ({ ...r, seq: r.seq.toString(), at: r.at.toISOString() }));
}

// An NDJSON export: the head line, then one event per line.
function readNdjson(text: string) {
  expect(text.endsWith("\n")).toBe(true);
  const [head, ...events] = text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { head: head!, events };
}

// What a CSV cell holds for a stored value: text as is, JSON as JSON text, and a formula start defused.
const isJsonColumn = (c: string) => c === "details" || c === "actChain";
function expectCell(cell: string, column: string, value: unknown) {
  if (value === null) return expect(cell).toBe("");
  if (isJsonColumn(column)) return expect(JSON.parse(cell)).toEqual(value);
  const text = typeof value === "string" ? value : JSON.stringify(value);
  expect(cell).toBe(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

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

  it("CSV rows are exactly the filtered rows, newest first, every column", async () => {
    const exp = await exportAuditEvents(run.admin, { correlationId: bulkCorr, format: "csv" });
    const [header, ...rest] = parseCsv((await readStream(exp.stream)).text);
    expect(header).toEqual([...AUDIT_EXPORT_COLUMNS]);
    const data = rest.slice(0, -1);
    const stored = await storedRows(bulkCorr);
    expect(data).toHaveLength(stored.length);
    data.forEach((cells, i) => AUDIT_EXPORT_COLUMNS.forEach((c, j) => expectCell(cells[j]!, c, stored[i]![c])));
    const tricky = await exportAuditEvents(run.admin, { correlationId: corr, format: "csv" });
    const trickyRows = parseCsv((await readStream(tricky.stream)).text).slice(1, -1);
    const trickyStored = await storedRows(corr);
    expect(trickyRows).toHaveLength(trickyStored.length);
    trickyRows.forEach((cells, i) => AUDIT_EXPORT_COLUMNS.forEach((c, j) => expectCell(cells[j]!, c, trickyStored[i]![c])));
  });

  it("streams a large set as NDJSON (head line with the checkpoint, then one event a line) equal to the filtered rows", async () => {
    const exp = await exportAuditEvents(run.admin, { correlationId: bulkCorr, format: "json" });
    expect(exp.contentType).toBe("application/x-ndjson; charset=utf-8");
    expect(exp.filename).toMatch(/^audit-\d{8}T\d{6}Z\.ndjson$/);
    const { text, chunks } = await readStream(exp.stream);
    expect(chunks).toBeGreaterThanOrEqual(3);
    const { head, events } = readNdjson(text);
    expect(head).toMatchObject({ type: "ncdd-audit-export/v2", snapshotSeq: exp.snapshotSeq });
    expect(checkCheckpoint(head.checkpoint, auditConfig().verifyKeys)).toMatchObject({ ok: true });
    expect(events).toHaveLength(BULK);
    expect(events).toEqual(await storedRows(bulkCorr));
    const tricky = readNdjson(
      (await readStream((await exportAuditEvents(run.admin, { correlationId: corr, format: "json" })).stream)).text,
    );
    expect(tricky.events).toEqual(await storedRows(corr));
  });

  it("takes free text with LIKE wildcards, quotes and backslashes literally (the filter is inlined into COPY)", async () => {
    const textCorr = `text-${run.id}`;
    await run.record({ correlationId: textCorr, details: { note: "100%_done 'quoted' back\\slash" } });
    await run.record({ correlationId: textCorr, details: { note: "100xydone 'quoted' back\\slash" } });
    const q = "0%_done 'quoted' back\\";
    const json = readNdjson(
      (await readStream((await exportAuditEvents(run.admin, { correlationId: textCorr, q, format: "json" })).stream)).text,
    );
    expect(json.events.map((e) => (e.details as { note: string }).note)).toEqual(["100%_done 'quoted' back\\slash"]);
    const csv = parseCsv(
      (await readStream((await exportAuditEvents(run.admin, { correlationId: textCorr, q, format: "csv" })).stream)).text,
    );
    expect(csv.slice(1, -1).map((r) => r[0])).toEqual(json.events.map((e) => e.seq));
  });

  it("exports an empty set as a header and the checkpoint trailer only, or no events", async () => {
    const csv = await exportAuditEvents(run.admin, { correlationId: `none-${run.id}` });
    expect(parseCsv((await readStream(csv.stream)).text).map((r) => r[0])).toEqual(["seq", "#checkpoint"]);
    const json = await exportAuditEvents(run.admin, { correlationId: `none-${run.id}`, format: "json" });
    expect(readNdjson((await readStream(json.stream)).text)).toMatchObject({ head: { type: "ncdd-audit-export/v2" }, events: [] });
  });

  it("records the export itself, and leaves rows written after the call out of it", async () => {
    const exp = await exportAuditEvents(run.admin, { correlationId: corr, format: "json" });
    await run.record({ action: testAuditAction("late.row") });
    const rows = readNdjson((await readStream(exp.stream)).text).events;
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
    const count = await db().auditEvent.count({
      where: { action: "audit.export", correlationId: run.admin.correlationId, details: { path: ["format"], equals: "xlsx" } },
    });
    expect(count).toBe(0);
  });
});
