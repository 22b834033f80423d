import { defineConfig, devices } from "@playwright/test";
import { e2eEnv } from "./e2e/e2e-env";

const env = e2eEnv();

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: env.NEXTAUTH_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, dependencies: ["setup"], testIgnore: /auth\.setup\.ts/ },
  ],
  webServer: [
    {
      // Test double of Nextcloud + user_oidc (not a real Nextcloud): verifies bearer JWTs with Keycloak's keys.
      command: "npx tsx test/nextcloud-stand-in/main.ts",
      url: "http://127.0.0.1:8281/__stand-in/health",
      env: { ...env, STANDIN_PORT: "8281" },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // The background worker, exactly as the main command starts it.
      command: "npx tsx --conditions=react-server lib/jobs/worker-main.ts",
      env,
      reuseExistingServer: !process.env.CI,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // The production build (made by scripts/test.sh) against the e2e database and the real Keycloak.
      command: "npx next start -p 3000",
      url: `${env.NEXTAUTH_URL}/signin`,
      env,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
