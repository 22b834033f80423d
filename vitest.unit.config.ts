import { defineConfig } from "vitest/config";
import path from "node:path";
import { testEnv } from "./test/test-env";

// The fast tier: tests that need no service at all. The database, Keycloak and Nextcloud addresses point
// at a closed port, so a test that reaches for one fails at once instead of quietly becoming slow.
const closed = "127.0.0.1:9";
const env = {
  ...testEnv(),
  DATABASE_URL: `postgresql://nobody@${closed}/none`,
  DATABASE_ADMIN_URL: `postgresql://nobody@${closed}/none`,
  KEYCLOAK_ISSUER: `http://${closed}/realms/none`,
  KEYCLOAK_ADMIN_URL: `http://${closed}`,
  NEXTCLOUD_URL: `http://${closed}`,
  AUDIT_CHECKPOINT_DIR: "/tmp/ncdd-audit-checkpoints/unit",
};

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/__tests__/**/*.unit.test.ts", "test/**/__tests__/**/*.unit.test.ts", "scripts/**/__tests__/**/*.unit.test.ts"],
    environment: "node",
    env,
    testTimeout: 5_000,
    alias: { "server-only": path.resolve(import.meta.dirname, "test/server-only-noop.ts") },
  },
});
