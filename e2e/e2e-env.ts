import { testEnv } from "../test/test-env";

/** The Next server, worker and stand-in in browser tests use their own database, never a shared one. */
export function e2eEnv(): Record<string, string> {
  return { ...testEnv(), DATABASE_URL: process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ncdd_e2e" };
}
