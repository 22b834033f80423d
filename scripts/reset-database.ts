/** Drops and recreates local test databases so every test run starts from migrations alone. */
import { connectMaintenanceDb } from "./lib/connect-maintenance-db";

for (const url of process.argv.slice(2)) {
  const target = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    console.error(`Refusing to reset a non-local database (${target.hostname}).`);
    process.exit(1);
  }
  const { client, name } = await connectMaintenanceDb(url, "Start PostgreSQL or set TEST_PG_BASE.");
  if (!/^ncdd_[a-z0-9_]+$/.test(name)) {
    console.error(`Refusing to reset "${name}": only ncdd_* test databases are reset.`);
    process.exit(1);
  }
  await client.query(`drop database if exists "${name}" with (force)`);
  await client.query(`create database "${name}"`);
  await client.end();
}
