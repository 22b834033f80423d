import "server-only";
import { db } from "../../db";

export type TAuditPerson = { username: string; name: string | null };

/**
 * The people behind the actor and subject ids of some audit rows, from the User table (everyone who
 * ever signed in), keyed by Keycloak sub. Ids that are not people (client ids) are simply absent.
 */
export async function listAuditPeople(rows: { actor: string; subject: string | null }[]): Promise<Record<string, TAuditPerson>> {
  const ids = [...new Set(rows.flatMap((r) => [r.actor, r.subject]).filter((v): v is string => !!v))];
  if (ids.length === 0) return {};
  const users = await db().user.findMany({ where: { sub: { in: ids } }, select: { sub: true, username: true, name: true } });
  return Object.fromEntries(users.map((u) => [u.sub, { username: u.username, name: u.name }]));
}
