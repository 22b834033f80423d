import { execFileSync } from "node:child_process";
import { testEnv } from "./test-env";

/**
 * Creates the test database and both roles if needed and applies migrations once per test run, exactly
 * as the product does (scripts/migrate-database.ts: owner migrates, the app role gets only DML).
 */
export default async function setup() {
  const env = testEnv();
  const url = new URL(env.DATABASE_URL!);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    throw new Error(`Refusing to run tests against a non-local database (${url.hostname}).`);
  }
  execFileSync("npx", ["tsx", "scripts/migrate-database.ts", url.toString()], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
