import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvents } from "../../../audit/record-event";
import { db } from "../../../db";
import { exportAuditEvents } from "../export-audit-events";
import { escapeCsvCell } from "../format-audit-export";
import { makeRun, readStream } from "./audit-fixtures";

const run = makeRun();
const corr = `corr-${run.id}`;
const bulkCorr = `bulk-${run.id}`;
const BULK = 2_050;

// Minimal RFC 4180 reader, enough to prove the export round-trips.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 1;
    } else cell += c;
  }
  return rows;
}

beforeAll(async () => {
  await run.record({ action: "nextcloud.request", resource: '=HYPERLINK("http://evil","click")', details: { a: "x,y", b: 'say "hi"\nnext' } });
  await run.record({ action: "token.refresh", outcome: "failure", errorCode: "-1+2", actor: "@worker" });
  await run.record({ subject: run.bob, action: "token.exchange" });
  // Enough rows for several keyset batches (1,000 each).
  await recordAuditEvents(
    Array.from({ length: BULK }, (_, n) => ({ ...run.base, correlationId: bulkCorr, action: "bulk.row", details: { n } })),
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
    const [header, ...data] = rows;
    expect(header).toEqual(expect.arrayContaining(["seq", "at", "actor", "subject", "action", "details", "prevHash", "hash"]));
    expect(data).toHaveLength(3);
    const col = (name: string) => header!.indexOf(name);
    const first = data[2]!;
    expect(first[col("resource")]).toBe(`'=HYPERLINK("http://evil","click")`);
    expect(JSON.parse(first[col("details")]!)).toEqual({ a: "x,y", b: 'say "hi"\nnext' });
    expect(data[1]![col("errorCode")]).toBe("'-1+2");
    expect(data[1]![col("actor")]).toBe("'@worker");
    expect(data.every((r) => /^[0-9a-f]{64}$/.test(r[col("hash")]!))).toBe(true);
  });

  it("streams a large set as one JSON array in several batches, newest first", async () => {
    const exp = await exportAuditEvents(run.admin, { correlationId: bulkCorr, format: "json" });
    expect(exp.contentType).toBe("application/json; charset=utf-8");
    const { text, chunks } = await readStream(exp.stream);
    expect(chunks).toBeGreaterThanOrEqual(3);
    const rows = JSON.parse(text) as { seq: string; details: { n: number } }[];
    expect(rows).toHaveLength(BULK);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(BULK);
    expect(rows.every((r, i) => i === 0 || BigInt(r.seq) < BigInt(rows[i - 1]!.seq))).toBe(true);
  });

  it("exports an empty set as a header only, or []", async () => {
    const csv = await exportAuditEvents(run.admin, { correlationId: `none-${run.id}` });
    expect(parseCsv((await readStream(csv.stream)).text)).toHaveLength(1);
    const json = await exportAuditEvents(run.admin, { correlationId: `none-${run.id}`, format: "json" });
    expect(JSON.parse((await readStream(json.stream)).text)).toEqual([]);
  });

  it("records the export itself, and leaves rows written after the call out of it", async () => {
    const exp = await exportAuditEvents(run.admin, { correlationId: corr, format: "json" });
    await run.record({ action: "late.row" });
    const rows = JSON.parse((await readStream(exp.stream)).text) as { action: string }[];
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
