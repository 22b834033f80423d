/** Drops and recreates local test databases so every test run starts from migrations alone. */
import pg from "pg";

for (const url of process.argv.slice(2)) {
  const target = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    console.error(`Refusing to reset a non-local database (${target.hostname}).`);
    process.exit(1);
  }
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^ncdd_[a-z0-9_]+$/.test(name)) {
    console.error(`Refusing to reset "${name}": only ncdd_* test databases are reset.`);
    process.exit(1);
  }
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    console.error(`PostgreSQL is not reachable at ${target.host} (${(error as Error).message}). Start it or set TEST_PG_BASE.`);
    process.exit(1);
  }
  await client.query(`drop database if exists "${name}" with (force)`);
  await client.query(`create database "${name}"`);
  await client.end();
}
