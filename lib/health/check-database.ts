import "server-only";
import { db } from "../db";

/** PostgreSQL answers a trivial query through the app's own pool. */
export async function checkDatabase(): Promise<string> {
  await db().$queryRaw`SELECT 1 AS ok`;
  return "PostgreSQL answered";
}
