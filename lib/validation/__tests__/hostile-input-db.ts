import { db } from "@/lib/db";

export type TDbFingerprint = { tables: Record<string, string>; auditSeq: bigint };

let tableList: string[] | undefined;

/**
 * What the database holds, cheaply enough to take around every request: row count and a hash of every row
 * of every table, except the append-only audit trail (the database refuses updates and deletes there), for
 * which the highest seq says whether anything was added.
 */
export async function fingerprintDb(): Promise<TDbFingerprint> {
  tableList ??= (
    await db().$queryRaw<{ name: string }[]>`
      SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND relname NOT IN ('AuditEvent', 'AuditHourlyCount', 'AuditHourlyTotal') ORDER BY 1`
  ).map((r) => r.name);
  const parts = tableList.map(
    (t) =>
      `SELECT '${t.replace(/'/g, "''")}' AS name, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS hash FROM ${t} x`,
  );
  const rows = await db().$queryRawUnsafe<{ name: string; hash: string }[]>(parts.join(" UNION ALL "));
  const [top] = await db().$queryRaw<{ seq: bigint | null }[]>`SELECT max(seq) AS seq FROM "AuditEvent"`;
  return { tables: Object.fromEntries(rows.map((r) => [r.name, r.hash])), auditSeq: top?.seq ?? 0n };
}

/** Audit rows written since a fingerprint was taken, as `action by actor`. */
export async function auditRowsSince(fp: TDbFingerprint): Promise<string[]> {
  const rows = await db().$queryRaw<
    { action: string; actor: string }[]
  >`SELECT action, actor FROM "AuditEvent" WHERE seq > ${fp.auditSeq} ORDER BY seq`;
  return rows.map((r) => `${r.action} by ${r.actor}`);
}
