/**
 * An embedded PostgreSQL (PGlite, Postgres compiled to WebAssembly, from npm) for machines without a
 * PostgreSQL server, so `scripts/up.sh` still starts the product there. It speaks the wire protocol on
 * 127.0.0.1 so Prisma, pg and pg-boss connect to it like to any server. Development only: a real
 * PostgreSQL is what production and the tests use.
 *
 * Usage: npx tsx scripts/embedded-postgres.ts <dataDir> <port>
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { mkdirSync } from "node:fs";
import { ensureLoginRoleSql } from "./lib/database-role-sql";
import { DEFAULT_APP_ROLE, DEFAULT_OWNER_ROLE } from "./lib/database-urls";
import { loadDotenv } from "./lib/load-dotenv";

// Nothing here reads the environment today; loaded anyway so that whatever is added later sees `.env`
// like every other script does.
loadDotenv();

const [dataDir, portArg] = process.argv.slice(2);
if (!dataDir || !portArg) {
  console.error("usage: embedded-postgres.ts <dataDir> <port>");
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });
const db = await PGlite.create({ dataDir, extensions: { pg_trgm } });
// Both roles of the least-privilege set-up exist here too, so migrate-database.ts runs unchanged. PGlite
// serves every socket from ONE backend session, so it does not enforce which role a client named: the
// fallback is for local development only and gives none of the database-level audit protections.
for (const role of [DEFAULT_OWNER_ROLE, DEFAULT_APP_ROLE]) for (const sql of ensureLoginRoleSql(role, "")) await db.exec(sql);
// More than one connection: Prisma, the worker's queue and the app each hold their own.
const server = new PGLiteSocketServer({ db, port: Number(portArg), host: "127.0.0.1", maxConnections: 32 });
await server.start();
console.log(`embedded PostgreSQL (PGlite) listening on 127.0.0.1:${portArg}, data in ${dataDir}`);
const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
