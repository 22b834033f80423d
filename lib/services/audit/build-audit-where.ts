import "server-only";
import { Prisma } from "@prisma/client";
import { db } from "../../db";
import { findPeopleNamed } from "./find-people-named";
import type { TAuditFilter } from "./parse-audit-filter";

/**
 * The free-text haystack, matched as a substring (ILIKE) on a pg_trgm GIN index. Measured against a
 * `to_tsvector('simple', …)` GIN index over the same text at 1,000,000 rows (bench/audit.bench.ts prints
 * both): whole words are about as fast either way, but the box promises "3+ characters, any field" and what
 * admins paste is a fragment — part of an error code, a path, a correlation id — which a word index cannot
 * find. So substring search on trigrams stays; names are not searched as text at all but resolved through
 * the User table (findPeopleNamed). It must stay character-for-character identical to the expression of the
 * trigram index "AuditEvent_search_trgm_idx" (migration 20261128000200_audit_query_indexes), or
 * PostgreSQL stops using that index.
 */
export const AUDIT_SEARCH_TEXT = Prisma.raw(
  `("action" || ' ' || coalesce("resource", '') || ' ' || "actor" || ' ' || coalesce("subject", '') || ' ' || coalesce("errorCode", '') || ' ' || coalesce("details"::text, ''))`,
);

// The same text in a form the trigram index does not match. Used when an equality filter on a
// high-cardinality column already narrows the set to a few hundred rows: filtering those is faster than a
// trigram scan, whose cost grows with how many rows in the whole table contain the search text.
const AUDIT_SEARCH_TEXT_UNINDEXED = Prisma.sql`(${AUDIT_SEARCH_TEXT} || '')`;

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// The writer keeps `at` non-decreasing along `seq`, so a time range is exactly a seq range, which every
// (column, seq) index can use together with the column filter.
async function seqBounds(filter: TAuditFilter): Promise<{ lo?: bigint; hi?: bigint } | null> {
  let lo: bigint | undefined;
  let hi: bigint | undefined;
  if (filter.from) {
    const [row] = await db().$queryRaw<{ seq: bigint }[]>`
      SELECT seq FROM "AuditEvent" WHERE "at" >= ${filter.from} ORDER BY "at" ASC, seq ASC LIMIT 1`;
    if (!row) return null;
    lo = row.seq;
  }
  if (filter.to) {
    const [row] = await db().$queryRaw<{ seq: bigint }[]>`
      SELECT seq FROM "AuditEvent" WHERE "at" < ${filter.to} ORDER BY "at" DESC, seq DESC LIMIT 1`;
    if (!row) return null;
    hi = row.seq;
  }
  if (lo !== undefined && hi !== undefined && lo > hi) return null;
  return { lo, hi };
}

/**
 * Turns a validated, already-scoped filter into one SQL condition (parameterised, never string-built
 * from input). Returns null when the filter provably matches nothing, so callers can skip the query.
 * `seqRange: false` leaves a time range on `at` only: right for aggregates, which read (column, at)
 * indexes, wrong for keyset pages ordered by seq.
 */
export async function buildAuditWhere(filter: TAuditFilter, options: { seqRange?: boolean } = {}): Promise<Prisma.Sql | null> {
  const bounds = options.seqRange === false ? {} : await seqBounds(filter);
  if (bounds === null) return null;
  const conds: Prisma.Sql[] = [];
  if (bounds.lo !== undefined) conds.push(Prisma.sql`seq >= ${bounds.lo}`);
  if (bounds.hi !== undefined) conds.push(Prisma.sql`seq <= ${bounds.hi}`);
  if (filter.from) conds.push(Prisma.sql`"at" >= ${filter.from}`);
  if (filter.to) conds.push(Prisma.sql`"at" < ${filter.to}`);
  if (filter.subject !== undefined) conds.push(Prisma.sql`"subject" = ${filter.subject}`);
  if (filter.actor !== undefined) conds.push(Prisma.sql`"actor" = ${filter.actor}`);
  if (filter.action !== undefined) conds.push(Prisma.sql`"action" = ${filter.action}`);
  if (filter.outcome !== undefined) conds.push(Prisma.sql`"outcome" = ${filter.outcome}`);
  if (filter.taskId !== undefined) conds.push(Prisma.sql`"taskId" = ${filter.taskId}`);
  if (filter.correlationId !== undefined) conds.push(Prisma.sql`"correlationId" = ${filter.correlationId}`);
  if (filter.mechanism !== undefined) conds.push(Prisma.sql`"mechanism" = ${filter.mechanism}`);
  if (filter.q !== undefined) {
    const narrow = filter.subject !== undefined || filter.taskId !== undefined || filter.correlationId !== undefined;
    const text = Prisma.sql`${narrow ? AUDIT_SEARCH_TEXT_UNINDEXED : AUDIT_SEARCH_TEXT} ILIKE ${likePattern(filter.q)}`;
    // A person's name matches the events by or for that person (subject and actor hold the sub).
    const people = await findPeopleNamed(filter.q);
    conds.push(people.length ? Prisma.sql`(${text} OR "subject" = ANY(${people}) OR "actor" = ANY(${people}))` : text);
  }
  return conds.length ? Prisma.join(conds, " AND ") : Prisma.sql`TRUE`;
}
