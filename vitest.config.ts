import { defineConfig } from "vitest/config";
import path from "node:path";
import { testEnv } from "./test/test-env";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["lib/**/__tests__/**/*.test.ts", "test/**/__tests__/**/*.test.ts", "scripts/**/__tests__/**/*.test.ts"],
    environment: "node",
    env: testEnv(),
    globalSetup: ["./test/global-setup.ts"],
    // Integration tests share one Keycloak and one database; files run one at a time to stay deterministic.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    server: { deps: { inline: ["server-only"] } },
    alias: { "server-only": path.resolve(__dirname, "test/server-only-noop.ts") },
  },
});
