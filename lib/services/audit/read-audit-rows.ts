import "server-only";
import { Prisma } from "@prisma/client";
import { db } from "../../db";
import type { TSanitizedAuditInput } from "../../audit/sanitize-audit-input";

/** One audit event as services hand it out: plain JSON-safe values (seq as a string, time as ISO). */
export type TAuditEventRow = TSanitizedAuditInput & { seq: string; at: string; prevHash: string; hash: string };

type TDbRow = Omit<TAuditEventRow, "seq" | "at"> & { seq: bigint; at: Date };

/**
 * Reads one keyset page, newest first: rows matching `where` with seq below `beforeSeq`. Keyset (not
 * OFFSET) so every page costs the same however deep the reader goes, and rows appended meanwhile never
 * shift a page.
 */
export async function readAuditRows(
  where: Prisma.Sql,
  beforeSeq: bigint | null,
  limit: number,
): Promise<{ rows: TAuditEventRow[]; lastSeq: bigint | null }> {
  const keyset = beforeSeq === null ? Prisma.sql`TRUE` : Prisma.sql`seq < ${beforeSeq}`;
  const raw = await db().$queryRaw<TDbRow[]>`
    SELECT seq, "at", actor, "actorType", subject, "actChain", action, resource, outcome, "errorCode",
           "taskId", "correlationId", mechanism, details, "prevHash", hash
    FROM "AuditEvent"
    WHERE ${where} AND ${keyset}
    ORDER BY seq DESC
    LIMIT ${limit}`;
  const rows = raw.map((r) => ({ ...r, seq: r.seq.toString(), at: r.at.toISOString() }));
  return { rows, lastSeq: raw.length ? raw[raw.length - 1]!.seq : null };
}
