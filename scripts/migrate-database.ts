/**
 * `npx tsx scripts/migrate-database.ts [postgresql://app-url]`: the one way to bring a database up to
 * date with least privilege. As a superuser it creates the database and both roles (ensure-database);
 * as the OWNER it applies Prisma migrations and installs the job queue; then it grants the APP role
 * exactly what the product needs (the audit table: SELECT and INSERT only). Idempotent.
 */
import { spawnSync } from "node:child_process";
import { loadDotenv } from "./lib/load-dotenv";
import { resolveDatabaseUrls } from "./lib/database-urls";
import { DatabaseUnreachable, provisionDatabase } from "./lib/provision-database";
import { installJobQueue } from "./lib/install-job-queue";
import { applyAppGrants } from "./lib/apply-app-grants";

loadDotenv();
const urls = resolveDatabaseUrls(process.argv[2]);
try {
  const { warnings } = await provisionDatabase(urls, { create: true });
  for (const w of warnings) console.error(`warning: ${w}`);
} catch (error) {
  if (!(error instanceof DatabaseUnreachable)) throw error;
  console.error(
    `${error.message}.\nSet DATABASE_ADMIN_URL to a superuser of that server, or create the roles yourself (README: Database roles).`,
  );
  process.exit(1);
}
const migrate = spawnSync("npx", ["prisma", "migrate", "deploy"], {
  env: { ...process.env, DATABASE_URL: urls.owner },
  encoding: "utf8",
});
if (migrate.status !== 0) {
  process.stderr.write(migrate.stdout + migrate.stderr);
  process.exit(1);
}
await installJobQueue(urls.owner);
await applyAppGrants(urls);
console.log(`==> migrated ${urls.database} as ${urls.ownerRole}; ${urls.appRole} may use it (audit trail: SELECT, INSERT)`);
