import "server-only";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { db } from "../db";

const shipped = new Map<string, string[] | null>();

function shippedMigrations(dir: string): string[] | null {
  if (!shipped.has(dir)) {
    shipped.set(
      dir,
      existsSync(dir)
        ? readdirSync(dir)
            .filter((name) => existsSync(path.join(dir, name, "migration.sql")))
            .sort()
        : null,
    );
  }
  return shipped.get(dir)!;
}

/**
 * Every migration this build ships (prisma/migrations) is applied in the database, and none failed or
 * was left half-applied. A build without the migration folder can only check for failed migrations.
 */
export async function checkMigrations(dir: string = path.join(process.cwd(), "prisma", "migrations")): Promise<string> {
  const rows = await db().$queryRaw<{ name: string; finished: boolean; rolledBack: boolean }[]>`
    SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack"
    FROM "_prisma_migrations"`;
  const failed = rows.filter((r) => !r.finished && !r.rolledBack).map((r) => r.name);
  if (failed.length) throw new Error(`migration not finished (failed or in progress): ${failed.join(", ")}`);
  const expected = shippedMigrations(dir);
  if (!expected) return `no failed migration (${rows.length} applied; migration folder not shipped with this build)`;
  const applied = new Set(rows.filter((r) => r.finished && !r.rolledBack).map((r) => r.name));
  const pending = expected.filter((name) => !applied.has(name));
  if (pending.length) throw new Error(`${pending.length} migration(s) not applied: ${pending.join(", ")} (run: npx prisma migrate deploy)`);
  return `${expected.length} of ${expected.length} migrations applied`;
}
