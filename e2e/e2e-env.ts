import { checkpointDirFor, testEnv } from "../test/test-env";

/** The Next server, worker and stand-in in browser tests use their own database, never a shared one. */
export function e2eEnv(): Record<string, string> {
  const DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgresql://ncdd_app@127.0.0.1:5432/ncdd_e2e";
  return { ...testEnv(), DATABASE_URL, AUDIT_CHECKPOINT_DIR: process.env.E2E_AUDIT_CHECKPOINT_DIR ?? checkpointDirFor(DATABASE_URL) };
}
