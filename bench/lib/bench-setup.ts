/**
 * Shared start of every benchmark: re-executes under `--conditions=react-server` (so "server-only"
 * markers resolve in plain Node), fills the test environment, and picks the bench's own database.
 * The parent process exits with the child's status.
 */
import { ensureServerCondition } from "../../scripts/lib/ensure-server-condition";

export async function prepareBench(defaultDatabase: string): Promise<void> {
  ensureServerCondition();
  const { testEnv } = await import("../../test/test-env");
  process.env.DATABASE_URL ??= defaultDatabase;
  for (const [k, v] of Object.entries(testEnv())) process.env[k] ??= v;
  process.env.LOG_LEVEL = "error";
}
