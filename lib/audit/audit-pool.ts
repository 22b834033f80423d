import pg from "pg";

/** Anything that runs a query: the pool below, or one client (a test's transaction, a script's connection). */
export type TAuditDb = pg.Pool | pg.ClientBase;

const globalForPool = globalThis as unknown as { auditPool?: pg.Pool };

/**
 * A small node-postgres pool on DATABASE_URL for reading the chain and signing checkpoints. It needs
 * nothing but DATABASE_URL (not the app's full configuration), so the verify CLI runs with the database
 * URL and the checkpoint keys alone, and it streams rows faster than the ORM for million-row walks.
 */
export function auditPool(): pg.Pool {
  if (!globalForPool.auditPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("Configuration is incomplete:\n  - DATABASE_URL is not set: a PostgreSQL URL");
    globalForPool.auditPool = new pg.Pool({ connectionString: url, max: 3, allowExitOnIdle: true });
  }
  return globalForPool.auditPool;
}

/** Closes the pool (scripts and tests, at exit). */
export async function closeAuditPool(): Promise<void> {
  const pool = globalForPool.auditPool;
  globalForPool.auditPool = undefined;
  await pool?.end();
}
