/**
 * Creates the database of a postgresql:// URL when it does not exist yet, with a clear message when
 * PostgreSQL cannot be reached at all (instead of a stack trace).
 */
import pg from "pg";

const url = process.argv[2];
if (!url) {
  console.error("usage: ensure-database.ts postgresql://user@host:port/db");
  process.exit(2);
}
const target = new URL(url);
const name = decodeURIComponent(target.pathname.slice(1));
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
try {
  await client.connect();
} catch (error) {
  console.error(
    `PostgreSQL is not reachable at ${target.host} (${(error as Error).message}).\n` +
      "Start PostgreSQL (e.g. apt-get install -y postgresql && pg_ctlcluster 15 main start) or set DATABASE_URL " +
      "in .env to a server you can reach.",
  );
  process.exit(1);
}
const found = await client.query("select 1 from pg_database where datname = $1", [name]);
if (found.rowCount === 0) {
  await client.query(`create database "${name.replace(/"/g, '""')}"`);
  console.log(`==> created database ${name}`);
}
await client.end();
