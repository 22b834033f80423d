import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "../../audit/record-event";
import { db } from "../../db";
import { AppError } from "../../errors";
import { log } from "../../logger";
import type { TCtx } from "../context";
import { buildAuditWhere } from "./build-audit-where";
import { resolvePersonFilter } from "./resolve-person-filter";
import { latestCheckpointForReceipt } from "../../audit/latest-checkpoint-for-receipt";
import type { TCheckpoint } from "../../audit/checkpoint";
import { formatCsvCheckpointTrailer, formatCsvHeader, formatCsvRow, formatJsonExportHead } from "./format-audit-export";
import { parseAuditInput, refineTimeRange, ZAuditFilterFields } from "./parse-audit-filter";
import { readAuditRows, type TAuditEventRow } from "./read-audit-rows";

const BATCH_ROWS = 1_000;

export const ZExportAuditEventsSchema = z
  .object({
    ...ZAuditFilterFields,
    format: z.enum(["csv", "json"], { error: "format must be csv or json" }).default("csv"),
  })
  .strict()
  .superRefine(refineTimeRange);

export type TExportAuditEventsInput = z.input<typeof ZExportAuditEventsSchema>;
export type TAuditExport = {
  stream: ReadableStream<Uint8Array>;
  contentType: string;
  filename: string;
  /** Rows exported are those with seq at or below this (the trail as it was when the export began). */
  snapshotSeq: string;
  /** The signed checkpoint the file carries (null when no signing key is configured). */
  checkpoint: TCheckpoint | null;
};

type TFormat = z.infer<typeof ZExportAuditEventsSchema>["format"];

type TWitness = { snapshotSeq: string; checkpoint: TCheckpoint | null };

const FORMATS: Record<
  TFormat,
  { contentType: string; head: (w: TWitness) => string; tail: (w: TWitness) => string; row: (r: TAuditEventRow, first: boolean) => string }
> = {
  csv: {
    contentType: "text/csv; charset=utf-8",
    head: () => formatCsvHeader(),
    tail: (w) => formatCsvCheckpointTrailer(w.checkpoint),
    row: (r) => formatCsvRow(r),
  },
  json: {
    contentType: "application/json; charset=utf-8",
    head: (w) => formatJsonExportHead(w.snapshotSeq, w.checkpoint),
    tail: () => "\n]}\n",
    row: (r, first) => `${first ? "\n" : ",\n"}${JSON.stringify(r)}`,
  },
};

// Dates become ISO strings so the export's own audit record says exactly which set was taken.
function describeFilter(filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
}

/**
 * Admin-only export of the filtered audit trail as CSV or JSON, carrying a freshly signed checkpoint
 * (CSV: a `#checkpoint` trailer row; JSON: an object with `checkpoint` and `events`) so the saved file
 * later proves what the trail contained. The result streams: rows are
 * pulled in keyset batches only as the reader consumes them, so memory stays flat at any size. The set is
 * fixed when the call is made (rows appended later are not included), and the export itself is recorded
 * as an "audit.export" event; a non-admin's attempt is recorded as refused and raises Forbidden.
 */
export async function exportAuditEvents(ctx: TCtx, input: TExportAuditEventsInput): Promise<TAuditExport> {
  const { format, ...filter } = parseAuditInput(ZExportAuditEventsSchema, input);
  const base = { actor: ctx.userSub, correlationId: ctx.correlationId, action: "audit.export" as const, resource: "audit-events" };
  if (!ctx.isAdmin) {
    await recordAuditEvent({ ...base, actorType: "user", outcome: "refused", details: { format, filter: describeFilter(filter) } });
    throw new AppError("Forbidden", "Only admins can export the audit trail.");
  }

  // A username in "on behalf of"/actor means that person, as on the page (the list and the chart resolve it too).
  const where = await buildAuditWhere(await resolvePersonFilter(filter));
  const [top] = await db().$queryRaw<{ seq: bigint | null }[]>`SELECT max(seq) AS seq FROM "AuditEvent"`;
  const snapshotSeq = top?.seq ?? 0n;
  await recordAuditEvent({
    ...base,
    actorType: "admin",
    outcome: "success",
    details: { format, filter: describeFilter(filter), snapshotSeq: snapshotSeq.toString(), username: ctx.username },
  });

  // A checkpoint signed after the export's own record: the file witnesses everything up to that point.
  const witness: TWitness = { snapshotSeq: snapshotSeq.toString(), checkpoint: await latestCheckpointForReceipt() };
  const fmt = FORMATS[format];
  const encoder = new TextEncoder();
  let before: bigint | null = snapshotSeq + 1n;
  let started = false;
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = started ? "" : fmt.head(witness);
        started = true;
        const page = where === null || before === null ? { rows: [], lastSeq: null } : await readAuditRows(where, before, BATCH_ROWS);
        for (const row of page.rows) {
          chunk += fmt.row(row, first);
          first = false;
        }
        before = page.rows.length < BATCH_ROWS ? null : page.lastSeq;
        if (before === null) chunk += fmt.tail(witness);
        if (chunk) controller.enqueue(encoder.encode(chunk));
        if (before === null) controller.close();
      } catch (error) {
        log.error("audit export failed mid-stream", { correlationId: ctx.correlationId, error });
        controller.error(error);
      }
    },
  });

  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return { stream, contentType: fmt.contentType, filename: `audit-${stamp}.${format}`, snapshotSeq: snapshotSeq.toString(), checkpoint: witness.checkpoint };
}
