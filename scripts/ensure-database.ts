/**
 * `npx tsx scripts/ensure-database.ts [postgresql://app-url]`: creates the database when missing and the
 * two roles it is used with (owner for migrations, app for the product), as DATABASE_ADMIN_URL (a
 * superuser; default: user postgres on the app URL's server). Exits 1 with a clear message when
 * PostgreSQL cannot be reached. `scripts/migrate-database.ts` runs this and then migrates.
 */
import { loadDotenv } from "./lib/load-dotenv";
import { resolveDatabaseUrls } from "./lib/database-urls";
import { DatabaseUnreachable, provisionDatabase } from "./lib/provision-database";

loadDotenv();
const urls = resolveDatabaseUrls(process.argv[2]);
try {
  const { created, warnings } = await provisionDatabase(urls, { create: true });
  if (created) console.log(`==> created database ${urls.database} (owner ${urls.ownerRole}, app role ${urls.appRole})`);
  for (const w of warnings) console.error(`warning: ${w}`);
} catch (error) {
  if (!(error instanceof DatabaseUnreachable)) throw error;
  console.error(
    `${error.message}.\nStart PostgreSQL (e.g. apt-get install -y postgresql && pg_ctlcluster 15 main start) or set DATABASE_URL (and DATABASE_ADMIN_URL, a superuser to create roles) in .env to a server you can reach.`,
  );
  process.exit(1);
}
