import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAuditPool } from "../../../audit/audit-pool";
import { db } from "../../../db";
import { parseWitnessFile, WitnessFileError } from "../../../audit/parse-witness-file";
import { recordAuditEvents } from "../../../audit/record-event";
import { verifyWitness } from "../../../audit/verify-witness";
import { editAndRehash, rehashFrom, withTamperSession } from "../../../audit/__tests__/tamper-session";
import { exportAuditEvents } from "../export-audit-events";
import { makeRun, readStream } from "./audit-fixtures";
import { testAuditAction } from "@/test/test-audit-action";

const run = makeRun();
const corr = `witness-${run.id}`;
let seqs: bigint[];
let json: string;
let csv: string;
let checkpointOnly: string;
let legacyJson: string;
let legacyCsv: string;

type TExportEvent = { seq: string; outcome: string };
type TExportHead = { type: string; snapshotSeq: string; checkpoint: { count: string } };
// An NDJSON export: the head line, then one event per line.
const readNdjson = (text: string) => {
  const [head, ...events] = text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as unknown);
  return { head: head as TExportHead, events: events as TExportEvent[] };
};
const writeNdjson = (doc: { head: unknown; events: unknown[] }) =>
  [doc.head, ...doc.events].map((l) => JSON.stringify(l)).join("\n") + "\n";

beforeAll(async () => {
  seqs = (
    await recordAuditEvents(
      Array.from({ length: 6 }, (_, n) => ({ ...run.base, correlationId: corr, action: testAuditAction("witness.row"), details: { n } })),
    )
  ).map((r) => r.seq);
  json = (await readStream((await exportAuditEvents(run.admin, { correlationId: corr, format: "json" })).stream)).text;
  csv = (await readStream((await exportAuditEvents(run.admin, { correlationId: corr, format: "csv" })).stream)).text;
  const doc = readNdjson(json);
  checkpointOnly = JSON.stringify(doc.head.checkpoint);
  // Files saved before exports were NDJSON: one JSON document, and CSV with CRLF line ends.
  legacyJson = JSON.stringify({
    type: "ncdd-audit-export/v1",
    snapshotSeq: doc.head.snapshotSeq,
    checkpoint: doc.head.checkpoint,
    events: doc.events,
  });
  legacyCsv = csv.replace(/\n/g, "\r\n");
});

afterAll(async () => {
  await closeAuditPool();
  await db().$disconnect();
});

describe("a saved export or checkpoint as a witness", () => {
  it("verifies while nothing was touched (NDJSON, CSV, the older JSON and CSV forms, and a bare checkpoint)", async () => {
    expect(parseWitnessFile(json)).toMatchObject({
      kind: "export-json",
      rows: expect.arrayContaining([expect.objectContaining({ seq: seqs[0] })]),
    });
    expect(parseWitnessFile(legacyJson).rows).toEqual(parseWitnessFile(json).rows);
    expect(parseWitnessFile(legacyCsv).rows).toEqual(parseWitnessFile(csv).rows);
    for (const text of [json, csv, legacyJson, legacyCsv, checkpointOnly]) {
      const r = await verifyWitness(parseWitnessFile(text));
      expect(r.summary).toMatch(/^Verified/);
      expect(r.ok).toBe(true);
    }
    expect((await verifyWitness(parseWitnessFile(csv))).rows).toMatchObject({ inFile: 6, found: 6, missingCount: 0 });
  });

  it("names the exported rows a superuser deleted from the end of the trail, and the gap", async () => {
    await withTamperSession(async (c) => {
      await c.query(`DELETE FROM "AuditEvent" WHERE seq >= $1`, [seqs[3]!.toString()]);
      for (const text of [json, csv, legacyJson]) {
        const r = await verifyWitness(parseWitnessFile(text), { db: c });
        expect(r.ok).toBe(false);
        expect(r.rows).toMatchObject({ missingCount: 3, missing: [{ from: seqs[3]!.toString(), to: seqs[5]!.toString() }] });
        expect(r.summary).toContain(`3 exported rows are missing from the trail: seq ${seqs[3]}–${seqs[5]}`);
        expect(r.chain).toMatchObject({ ok: false, kind: "missing-tail", firstBrokenSeq: seqs[3]!.toString() });
      }
      const bare = await verifyWitness(parseWitnessFile(checkpointOnly), { db: c });
      expect(bare).toMatchObject({ ok: false, chain: { kind: "missing-tail" } });
    });
  });

  it("names the row edited and re-hashed, and a replaced table", async () => {
    await withTamperSession(async (c) => {
      await editAndRehash(c, seqs[2]!, { outcome: "failure" });
      const r = await verifyWitness(parseWitnessFile(json), { db: c });
      expect(r.ok).toBe(false);
      expect(r.rows.changed[0]).toBe(seqs[2]!.toString());
      expect(r.rows.changed).toHaveLength(4);
      expect(r.chain.kind).toBe("rewritten");
    });
    await withTamperSession(async (c) => {
      const first = (await c.query<{ seq: string }>(`SELECT min(seq)::text AS seq FROM "AuditEvent"`)).rows[0]!.seq;
      await c.query(`UPDATE "AuditEvent" SET actor = 'forged'`);
      await rehashFrom(c, BigInt(first));
      const r = await verifyWitness(parseWitnessFile(csv), { db: c });
      expect(r).toMatchObject({ ok: false, chain: { kind: "rewritten", firstBrokenSeq: first } });
      expect(r.rows.changed).toHaveLength(6);
    });
  });

  it("catches a file edited after download, a forged checkpoint, and refuses what is no witness", async () => {
    const doc = readNdjson(json);
    doc.events[1]!.outcome = "failure";
    const edited = await verifyWitness(parseWitnessFile(writeNdjson(doc)));
    expect(edited).toMatchObject({ ok: false, rows: { alteredInFile: [doc.events[1]!.seq] } });
    doc.events[1]!.outcome = "success";
    doc.head.checkpoint.count = "1";
    const forged = await verifyWitness(parseWitnessFile(writeNdjson(doc)));
    expect(forged.ok).toBe(false);
    expect(forged.checkpointProblem).toMatch(/signature does not verify/);
    expect(() => parseWitnessFile("hello")).toThrow(WitnessFileError);
    expect(() => parseWitnessFile('{"x":1}')).toThrow(WitnessFileError);
    expect(() => parseWitnessFile("{")).toThrow(/not valid JSON/);
    expect(() => parseWitnessFile(`${JSON.stringify(doc.head)}\n{"seq":`)).toThrow(/line 2 is not valid JSON/);
  });
});
