/**
 * Creates the database of a postgresql:// URL when it does not exist yet, with a clear message when
 * PostgreSQL cannot be reached at all (instead of a stack trace).
 */
import { connectMaintenanceDb } from "./lib/connect-maintenance-db";

const url = process.argv[2];
if (!url) {
  console.error("usage: ensure-database.ts postgresql://user@host:port/db");
  process.exit(2);
}
const { client, name } = await connectMaintenanceDb(
  url,
  "Start PostgreSQL (e.g. apt-get install -y postgresql && pg_ctlcluster 15 main start) or set DATABASE_URL in .env to a server you can reach.",
);
const found = await client.query("select 1 from pg_database where datname = $1", [name]);
if (found.rowCount === 0) {
  await client.query(`create database "${name.replace(/"/g, '""')}"`);
  console.log(`==> created database ${name}`);
}
await client.end();
