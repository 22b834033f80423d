import { AUDIT_EXPORT_COLUMNS, AUDIT_NDJSON_EXPORT_TYPE } from "../services/audit/format-audit-export";
import { CHECKPOINT_TYPE } from "./checkpoint";
import type { TChainRow } from "./read-chain-rows";
import { parseCsv } from "./parse-csv";

/** One exported row as the witness saw it; `content` only where the format keeps it exactly (JSON). */
export type TWitnessRow = { seq: bigint; hash: string; content: TChainRow | null };

export type TWitnessFile = {
  kind: "export-json" | "export-csv" | "checkpoint";
  checkpoint: unknown;
  rows: TWitnessRow[];
};

export class WitnessFileError extends Error {}

const SEQ = /^\d{1,19}$/;
const HASH = /^[0-9a-f]{64}$/;

function jsonRow(r: Record<string, unknown>, i: number): TWitnessRow {
  if (typeof r.seq !== "string" || !SEQ.test(r.seq) || typeof r.hash !== "string" || !HASH.test(r.hash)) {
    throw new WitnessFileError(`event ${i + 1} has no valid seq and hash`);
  }
  const at = typeof r.at === "string" ? new Date(r.at) : new Date(NaN);
  const content = Number.isNaN(at.getTime()) ? null : ({ ...r, seq: BigInt(r.seq), at } as unknown as TChainRow);
  return { seq: BigInt(r.seq), hash: r.hash, content };
}

/**
 * Reads a saved witness: an NDJSON export (a head line with the checkpoint, then one event per line, exact
 * content), the older whole-document JSON export (checkpoint + events), a CSV export (seq and hash
 * per row, checkpoint in the `#checkpoint` trailer; CSV cells are escaped for spreadsheets, so row
 * content is compared by hash only), a bare checkpoint JSON, or a revocation receipt that carries one as
 * `checkpoint`. Throws WitnessFileError with a plain reason for anything else.
 */
export function parseWitnessFile(text: string): TWitnessFile {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const ndjson = parseNdjsonExport(trimmed);
    if (ndjson) return ndjson;
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new WitnessFileError("the file is not valid JSON");
    }
    if (Array.isArray(doc)) {
      return { kind: "export-json", checkpoint: null, rows: doc.map((r, i) => jsonRow((r ?? {}) as Record<string, unknown>, i)) };
    }
    const obj = (doc ?? {}) as Record<string, unknown>;
    if (obj.type === CHECKPOINT_TYPE) return { kind: "checkpoint", checkpoint: obj, rows: [] };
    if (Array.isArray(obj.events)) {
      return {
        kind: "export-json",
        checkpoint: obj.checkpoint ?? null,
        rows: obj.events.map((r, i) => jsonRow((r ?? {}) as Record<string, unknown>, i)),
      };
    }
    if (obj.checkpoint && typeof obj.checkpoint === "object") return { kind: "checkpoint", checkpoint: obj.checkpoint, rows: [] };
    throw new WitnessFileError("the JSON is neither an audit export nor a checkpoint");
  }
  const table = parseCsv(trimmed);
  const header = table[0] ?? [];
  const seqCol = header.indexOf("seq");
  const hashCol = header.indexOf("hash");
  if (seqCol < 0 || hashCol < 0 || header.length !== AUDIT_EXPORT_COLUMNS.length) {
    throw new WitnessFileError("the file is neither an audit export (CSV or JSON) nor a checkpoint");
  }
  let checkpoint: unknown = null;
  const rows: TWitnessRow[] = [];
  for (const [i, cells] of table.slice(1).entries()) {
    if (cells[0] === "#checkpoint") {
      if (cells[1]) {
        try {
          checkpoint = JSON.parse(cells[1]);
        } catch {
          throw new WitnessFileError("the #checkpoint row does not hold JSON");
        }
      }
      continue;
    }
    const seq = cells[seqCol] ?? "";
    const hash = cells[hashCol] ?? "";
    if (!SEQ.test(seq) || !HASH.test(hash)) throw new WitnessFileError(`row ${i + 2} has no valid seq and hash`);
    rows.push({ seq: BigInt(seq), hash, content: null });
  }
  return { kind: "export-csv", checkpoint, rows };
}

/** An NDJSON export (its first line names AUDIT_NDJSON_EXPORT_TYPE), or null for anything else. */
function parseNdjsonExport(text: string): TWitnessFile | null {
  const firstEnd = text.indexOf("\n");
  let head: Record<string, unknown>;
  try {
    head = JSON.parse(firstEnd < 0 ? text : text.slice(0, firstEnd)) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (head === null || typeof head !== "object" || head.type !== AUDIT_NDJSON_EXPORT_TYPE) return null;
  const rows: TWitnessRow[] = [];
  if (firstEnd >= 0) {
    const lines = text.slice(firstEnd + 1).split("\n");
    for (const [i, line] of lines.entries()) {
      if (line.trim() === "") continue;
      let r: unknown;
      try {
        r = JSON.parse(line);
      } catch {
        throw new WitnessFileError(`line ${i + 2} is not valid JSON`);
      }
      rows.push(jsonRow((r ?? {}) as Record<string, unknown>, rows.length));
    }
  }
  return { kind: "export-json", checkpoint: head.checkpoint ?? null, rows };
}
