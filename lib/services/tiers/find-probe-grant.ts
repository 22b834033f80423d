import "server-only";
import { db } from "../../db";
import type { TCtx } from "../context";

export type TProbeGrant = { id: string; scopes: string[] };

/** Scopes that map audience `nextcloud` in the realm; a grant with one of them can be exchanged to it. */
export const NEXTCLOUD_SCOPES = ["notes.read", "files.read"] as const;

/**
 * The grant the live probes act through: the caller's OWN most recent active grant (the admin acting on
 * their own behalf), preferring one whose scopes allow an exchange to Nextcloud. Never another user's:
 * the query is scoped by the caller's subject. Null when the caller has none.
 */
export async function findProbeGrant(ctx: TCtx): Promise<TProbeGrant | null> {
  const base = { userSub: ctx.userSub, status: "active" as const, mechanism: "offline_access" as const };
  const select = { id: true, scopes: true };
  const orderBy = { grantedAt: "desc" as const };
  return (
    (await db().grant.findFirst({ where: { ...base, scopes: { hasSome: [...NEXTCLOUD_SCOPES] } }, orderBy, select })) ??
    (await db().grant.findFirst({ where: base, orderBy, select }))
  );
}
