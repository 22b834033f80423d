import pg from "pg";
import type { TDatabaseUrls } from "./database-urls";
import { ensureLoginRoleSql, ident } from "./database-role-sql";

export class DatabaseUnreachable extends Error {}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnreachable(
      `PostgreSQL is not reachable at ${new URL(url).host} as ${new URL(url).username} (${(error as Error).message})`,
    );
  }
  return client;
}

const maintenance = (url: string) => {
  const u = new URL(url);
  u.pathname = "/postgres";
  return u.toString();
};

// Objects the owner must own, whoever created them (an older database made everything as the superuser).
const FOREIGN_OBJECTS = `
  SELECT format('ALTER TABLE %I.%I OWNER TO %I', n.nspname, c.relname, $1::text) AS sql
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname IN ('public', 'pgboss') AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     AND pg_get_userbyid(c.relowner) <> $1
  UNION ALL
  SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', n.nspname, c.relname, $1::text)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname IN ('public', 'pgboss') AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> $1
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
  UNION ALL
  SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, $1::text)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('public', 'pgboss') AND pg_get_userbyid(p.proowner) <> $1
  UNION ALL
  SELECT format('ALTER TYPE %I.%I OWNER TO %I', n.nspname, t.typname, $1::text)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname IN ('public', 'pgboss') AND t.typtype IN ('e', 'd', 'c') AND pg_get_userbyid(t.typowner) <> $1
     AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
  UNION ALL
  SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, $1::text)
    FROM pg_namespace n WHERE n.nspname IN ('public', 'pgboss') AND pg_get_userbyid(n.nspowner) <> $1`;

export type TProvisionResult = { created: boolean; warnings: string[] };

/**
 * Makes a database ready for least-privilege use, as a superuser (DATABASE_ADMIN_URL): both login roles
 * exist with pinned attributes, the database exists, and the owner role owns the database, its schemas
 * and every object in them (older databases are taken over), while the app role owns nothing. Safe to
 * run any number of times. A URL that names a superuser as app or owner is left alone and reported.
 */
export async function provisionDatabase(urls: TDatabaseUrls, options: { create: boolean }): Promise<TProvisionResult> {
  const warnings: string[] = [];
  const admin = await connect(maintenance(urls.admin));
  let created = false;
  try {
    const supers = await admin.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolsuper AND rolname = ANY($1)`, [
      [urls.appRole, urls.ownerRole],
    ]);
    const superNames = new Set(supers.rows.map((r) => r.rolname));
    if (superNames.has(urls.appRole)) {
      warnings.push(
        `DATABASE_URL connects as the superuser "${urls.appRole}": anyone with the app's credentials could disable the audit trail's protections. Use a role that owns nothing (default ${"ncdd_app"}).`,
      );
    }
    for (const [role, url] of [
      [urls.ownerRole, urls.owner],
      [urls.appRole, urls.app],
    ] as const) {
      if (superNames.has(role)) continue;
      for (const sql of ensureLoginRoleSql(role, decodeURIComponent(new URL(url).password))) await admin.query(sql);
    }
    const found = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [urls.database]);
    if (found.rowCount === 0) {
      if (!options.create) throw new Error(`database "${urls.database}" does not exist`);
      await admin.query(`CREATE DATABASE ${ident(urls.database)} OWNER ${ident(urls.ownerRole)}`);
      created = true;
    } else if (urls.database !== "postgres") {
      await admin.query(`ALTER DATABASE ${ident(urls.database)} OWNER TO ${ident(urls.ownerRole)}`);
    }
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(urls.database)} TO ${ident(urls.appRole)}, ${ident(urls.ownerRole)}`);
  } finally {
    await admin.end();
  }

  if (urls.ownerRole === urls.appRole)
    warnings.push("DATABASE_OWNER_URL and DATABASE_URL use the same role: the app would own its tables.");
  const db = await connect(urls.admin);
  try {
    await db.query(`CREATE SCHEMA IF NOT EXISTS pgboss AUTHORIZATION ${ident(urls.ownerRole)}`);
    const { rows } = await db.query<{ sql: string }>(FOREIGN_OBJECTS, [urls.ownerRole]);
    for (const { sql } of rows) await db.query(sql);
    await db.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  } finally {
    await db.end();
  }
  return { created, warnings };
}
