import "server-only";
import { z } from "zod";
import type { TCtx } from "../context";
import { buildAuditWhere } from "./build-audit-where";
import { decodeAuditCursor, encodeAuditCursor } from "./encode-audit-cursor";
import { parseAuditInput, refineTimeRange, ZAuditFilterFields } from "./parse-audit-filter";
import { listAuditPeople, type TAuditPerson } from "./list-audit-people";
import { readAuditRows, type TAuditEventRow } from "./read-audit-rows";
import { resolvePersonFilter } from "./resolve-person-filter";
import { scopeAuditFilter } from "./scope-audit-filter";

export const ZSearchAuditEventsSchema = z
  .object({
    ...ZAuditFilterFields,
    cursor: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().max(64).optional()),
    limit: z.coerce
      .number({ error: "limit must be a number" })
      .int({ error: "limit must be a whole number" })
      .min(1, { error: "limit must be at least 1" })
      .max(200, { error: "limit must be at most 200" })
      .default(50),
  })
  .strict()
  .superRefine(refineTimeRange);

export type TSearchAuditEventsInput = z.input<typeof ZSearchAuditEventsSchema>;
export type TSearchAuditEventsResult = {
  rows: TAuditEventRow[];
  nextCursor: string | null;
  /** Names of the people among the rows' actors and subjects, keyed by Keycloak sub (clients are absent). */
  people: Record<string, TAuditPerson>;
};

/**
 * One page of the audit trail, newest first, for the admin page and each user's own feed. Permission
 * is checked here: admins see all, anyone else only events whose subject is themselves (asking for
 * another subject is Forbidden). Invalid input is BadInput and reads nothing. `nextCursor` is null on
 * the last page. `subject` and `actor` also accept a username (resolved through the User table), and the
 * page names the people it mentions.
 */
export async function searchAuditEvents(ctx: TCtx, input: TSearchAuditEventsInput): Promise<TSearchAuditEventsResult> {
  const { cursor, limit, ...filter } = parseAuditInput(ZSearchAuditEventsSchema, input);
  const scoped = scopeAuditFilter(ctx, await resolvePersonFilter(filter));
  const beforeSeq = cursor === undefined ? null : decodeAuditCursor(cursor);
  const where = await buildAuditWhere(scoped);
  if (where === null) return { rows: [], nextCursor: null, people: {} };
  const page = await readAuditRows(where, beforeSeq, limit + 1);
  const hasMore = page.rows.length > limit;
  const rows = hasMore ? page.rows.slice(0, limit) : page.rows;
  return { rows, nextCursor: hasMore ? encodeAuditCursor(BigInt(rows[rows.length - 1]!.seq)) : null, people: await listAuditPeople(rows) };
}
