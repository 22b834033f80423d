import pg from "pg";
import type { TDatabaseUrls } from "./database-urls";
import { grantAppRoleSql } from "./database-role-sql";

/** Runs the app role's grants as the owner, in one transaction (see grantAppRoleSql for what and why). */
export async function applyAppGrants(urls: TDatabaseUrls): Promise<void> {
  if (urls.appRole === urls.ownerRole) return;
  const client = new pg.Client({ connectionString: urls.owner });
  await client.connect();
  try {
    await client.query("BEGIN");
    for (const sql of grantAppRoleSql(urls.appRole, urls.ownerRole)) await client.query(sql);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
