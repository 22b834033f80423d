import "server-only";
import type { Readable } from "node:stream";
import { to as copyTo } from "pg-copy-streams";
import { z } from "zod";
import { auditPool } from "../../audit/audit-pool";
import { recordAuditEvent } from "../../audit/record-event";
import { db } from "../../db";
import { AppError } from "../../errors";
import { log } from "../../logger";
import type { TCtx } from "../context";
import { buildAuditWhere } from "./build-audit-where";
import { resolvePersonFilter } from "./resolve-person-filter";
import { latestCheckpointForReceipt } from "../../audit/latest-checkpoint-for-receipt";
import type { TCheckpoint } from "../../audit/checkpoint";
import { COPY_OPTIONS, CSV_EXPORT_SELECT, NDJSON_EXPORT_COLUMNS } from "./audit-export-copy-sql";
import { formatCsvCheckpointTrailer, formatCsvHeader, formatNdjsonExportHead } from "./format-audit-export";
import { inlineSqlLiterals } from "./inline-sql-literals";
import { parseAuditInput, refineTimeRange, ZAuditFilterFields } from "./parse-audit-filter";

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
  {
    contentType: string;
    extension: string;
    /** The COPY statement for rows matching `where` (SQL text, literals inlined), newest first. */
    copy: (where: string) => string;
    head: (w: TWitness) => string;
    tail: (w: TWitness) => string;
  }
> = {
  csv: {
    contentType: "text/csv; charset=utf-8",
    extension: "csv",
    // "AuditEvent".seq: the output column named seq is text, and ORDER BY would take it first.
    copy: (where) =>
      `COPY (SELECT ${CSV_EXPORT_SELECT} FROM "AuditEvent" WHERE ${where} ORDER BY "AuditEvent".seq DESC) TO STDOUT WITH ${COPY_OPTIONS.csv}`,
    head: () => formatCsvHeader(),
    tail: (w) => formatCsvCheckpointTrailer(w.checkpoint),
  },
  // "json" is NDJSON: one object per line streams without holding a document open, and reads back line by line.
  json: {
    contentType: "application/x-ndjson; charset=utf-8",
    extension: "ndjson",
    copy: (where) =>
      `COPY (SELECT to_json(r) FROM (SELECT ${NDJSON_EXPORT_COLUMNS} FROM "AuditEvent" WHERE ${where} ORDER BY "AuditEvent".seq DESC) r) TO STDOUT WITH ${COPY_OPTIONS.ndjson}`,
    head: (w) => formatNdjsonExportHead(w.snapshotSeq, w.checkpoint),
    tail: () => "",
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
 * Admin-only export of the filtered audit trail as CSV or NDJSON, carrying a freshly signed checkpoint
 * (CSV: a `#checkpoint` trailer row; NDJSON: the head line) so the saved file later proves what the trail
 * contained. PostgreSQL writes the rows itself (`COPY (query) TO STDOUT` on one connection of the audit
 * pool) and the bytes are forwarded as the reader consumes them, so memory stays flat at any size and
 * the speed is COPY's. The set is fixed when the call is made (rows appended later are not included),
 * and the export itself is recorded as an "audit.export" event; a non-admin's attempt is recorded as
 * refused and raises Forbidden.
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
  const sql = where === null ? null : fmt.copy(`(${inlineSqlLiterals(where)}) AND seq <= ${snapshotSeq.toString()}::bigint`);
  const stream = copyExportStream(sql, fmt.head(witness), fmt.tail(witness), ctx.correlationId);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return {
    stream,
    contentType: fmt.contentType,
    filename: `audit-${stamp}.${fmt.extension}`,
    snapshotSeq: snapshotSeq.toString(),
    checkpoint: witness.checkpoint,
  };
}

/**
 * head, then the COPY output as the reader pulls it, then tail. The connection is taken on the first
 * pull and returned when the COPY ends; a reader that stops early (a cancelled download) or a failure
 * discards that connection, which ends the COPY on the server.
 */
function copyExportStream(sql: string | null, head: string, tail: string, correlationId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let rows: AsyncIterator<Buffer> | null = null;
  let release: ((discard?: boolean) => void) | null = null;
  const done = (discard: boolean) => {
    release?.(discard);
    release = null;
  };
  let opened = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!opened) {
          opened = true;
          controller.enqueue(encoder.encode(head));
          if (sql !== null) {
            const client = await auditPool().connect();
            release = (discard) => client.release(discard ? new Error("audit export ended early") : undefined);
            rows = (client.query(copyTo(sql)) as Readable)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
          }
          return;
        }
        const next = rows ? await rows.next() : { done: true as const, value: undefined };
        if (!next.done) {
          controller.enqueue(next.value);
          return;
        }
        done(false);
        if (tail) controller.enqueue(encoder.encode(tail));
        controller.close();
      } catch (error) {
        done(true);
        log.error("audit export failed mid-stream", { correlationId, error });
        controller.error(error);
      }
    },
    async cancel() {
      await rows?.return?.();
      done(true);
    },
  });
}
