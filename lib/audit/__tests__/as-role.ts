import pg from "pg";

/** A URL for the test database as the superuser (DATABASE_ADMIN_URL's credentials): the attacker's view. */
export function superuserUrl(): string {
  const u = new URL(process.env.DATABASE_URL!);
  const admin = new URL(process.env.DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  u.username = admin.username;
  u.password = admin.password;
  return u.toString();
}

/** Runs `fn` on a fresh connection to `url` and always closes it. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs statements as the superuser with the append-only triggers off, in one transaction (a stolen-credential attack). */
export async function tamperAsSuperuser(statements: [string, unknown[]?][]): Promise<void> {
  await withClient(superuserUrl(), async (c) => {
    await c.query("BEGIN");
    await c.query(`SET LOCAL session_replication_role = replica`);
    for (const [sql, params] of statements) await c.query(sql, params ?? []);
    await c.query("COMMIT");
  });
}
