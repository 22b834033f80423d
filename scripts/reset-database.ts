/**
 * Drops and recreates local test databases so every test run starts from migrations alone, and empties
 * their audit-checkpoint directories (see test/test-env.ts). Connects as
 * DATABASE_ADMIN_URL (default: user postgres on each URL's server); the roles are made by migrate-database.
 */
import { rmSync } from "node:fs";
import { checkpointDirFor } from "../test/test-env";
import { loadDotenv } from "./lib/load-dotenv";
import { resolveDatabaseUrls } from "./lib/database-urls";
import { connectMaintenanceDb } from "./lib/connect-maintenance-db";

loadDotenv();
for (const url of process.argv.slice(2)) {
  const target = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    console.error(`Refusing to reset a non-local database (${target.hostname}).`);
    process.exit(1);
  }
  const urls = resolveDatabaseUrls(url);
  const { client, name } = await connectMaintenanceDb(
    urls.admin,
    "Start PostgreSQL, or set DATABASE_ADMIN_URL (a superuser) / TEST_PG_BASE.",
  );
  if (!/^ncdd_[a-z0-9_]+$/.test(name)) {
    console.error(`Refusing to reset "${name}": only ncdd_* test databases are reset.`);
    process.exit(1);
  }
  await client.query(`drop database if exists "${name}" with (force)`);
  await client.query(`create database "${name}"`);
  await client.end();
  // The old database's signed checkpoints would (rightly) call the fresh, empty trail a deleted one.
  rmSync(checkpointDirFor(url), { recursive: true, force: true });
}
