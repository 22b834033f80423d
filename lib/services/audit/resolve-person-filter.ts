import "server-only";
import { db } from "../../db";

/**
 * Lets the audit filters take a username where they need a Keycloak user id: "carol" becomes carol's
 * sub when the User table knows a person by that username (case-insensitive) and the value is not
 * already someone's sub. Anything else (a sub, a client id, an unknown name) is returned unchanged, so
 * an unknown name still matches nothing rather than everything.
 */
export async function resolvePersonFilter<F extends { subject?: string; actor?: string }>(filter: F): Promise<F> {
  const values = [filter.subject, filter.actor].filter((v): v is string => !!v);
  if (values.length === 0) return filter;
  // Not Prisma's `mode: "insensitive"`: it compiles equality to ILIKE with the raw value, so a value
  // ending in a backslash becomes a malformed LIKE pattern (a 500). lower() = lower() has no pattern.
  const users = await db().$queryRaw<{ sub: string; username: string }[]>`
    SELECT "sub", "username" FROM "User"
    WHERE "sub" = ANY(${values}) OR lower("username") = ANY(${values.map((v) => v.toLowerCase())})`;
  const resolve = (v: string | undefined) => {
    if (!v || users.some((u) => u.sub === v)) return v;
    const byName = users.filter((u) => u.username.toLowerCase() === v.toLowerCase());
    return byName.length === 1 ? byName[0]!.sub : v;
  };
  return { ...filter, subject: resolve(filter.subject), actor: resolve(filter.actor) };
}
