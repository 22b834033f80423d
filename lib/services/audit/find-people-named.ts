import "server-only";
import { db } from "../../db";

/** More people than this sharing one name is no name worth resolving (the text match still applies). */
const MAX_PEOPLE = 20;

/**
 * The Keycloak subs of the people whose username or display name is `text` (case-insensitive), so a
 * free-text search for "carol" or "Carol Jones" finds carol's events, which carry her sub, not her name.
 * Two index lookups on the User table (migration 20261201000700_audit_search_people).
 */
export async function findPeopleNamed(text: string): Promise<string[]> {
  const rows = await db().$queryRaw<{ sub: string }[]>`
    SELECT "sub" FROM "User" WHERE lower("username") = lower(${text}) OR lower("name") = lower(${text}) LIMIT ${MAX_PEOPLE + 1}`;
  return rows.length > MAX_PEOPLE ? [] : rows.map((r) => r.sub);
}
