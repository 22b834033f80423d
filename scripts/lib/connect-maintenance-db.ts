import pg from "pg";

/**
 * Connects to the `postgres` maintenance database of the server a URL names, to create or drop the
 * URL's own database. On failure prints `hint` with the reason and exits 1 (no stack trace).
 */
export async function connectMaintenanceDb(url: string, hint: string): Promise<{ client: pg.Client; name: string }> {
  const target = new URL(url);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    console.error(`PostgreSQL is not reachable at ${target.host} (${(error as Error).message}).\n${hint}`);
    process.exit(1);
  }
  return { client, name: decodeURIComponent(target.pathname.slice(1)) };
}
