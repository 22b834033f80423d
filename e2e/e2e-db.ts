import pg from "pg";
import { e2eEnv } from "./e2e-env";

/** Runs one statement on the browser tests' own database (for test set-up and checks only). */
export async function e2eRows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eEnv().DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs one statement on the browser tests' own database (for test set-up only). */
export async function e2eQuery(sql: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: e2eEnv().DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}
