import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { runPreflight } from "../run-preflight";

const run = promisify(execFile);

/**
 * Runs the real preflight command with a modified environment and returns its exit code and output. The
 * script loads `.env` itself, which would fill what a test removed from a developer's own `.env`: the
 * environment stays exact (NCDD_DOTENV=0) unless a test names a file of its own.
 */
async function preflight(overrides: Record<string, string | undefined>) {
  const env: NodeJS.ProcessEnv = { ...process.env, NCDD_DOTENV: "0", ...overrides };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete env[k];
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/preflight.ts"], { env });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe("startup preflight", () => {
  it("passes with the test configuration against the real database and Keycloak", async () => {
    const result = await runPreflight(process.env);
    expect(result.ok).toBe(true);
  });

  it("stops on a missing secret and says which variable to set, without a stack trace", async () => {
    const { code, out } = await preflight({ KEYCLOAK_WORKER_CLIENT_SECRET: undefined, NEXTAUTH_SECRET: "short" });
    expect(code).toBe(1);
    expect(out).toContain("Set KEYCLOAK_WORKER_CLIENT_SECRET is not set");
    expect(out).toContain("Set NEXTAUTH_SECRET is too short");
    expect(out).not.toMatch(/\n\s+at /);
  });

  it("stops on a weak vault key and never echoes the key", async () => {
    const weak = Buffer.alloc(32, 7).toString("base64");
    const { code, out } = await preflight({ TOKEN_VAULT_KEYS: `k1:${weak}` });
    expect(code).toBe(1);
    expect(out).toContain('key "k1" is too weak');
    expect(out).not.toContain(weak);
  });

  it("stops when Keycloak is unreachable and names KEYCLOAK_ISSUER", async () => {
    const { code, out } = await preflight({ KEYCLOAK_ISSUER: "http://127.0.0.1:9/realms/nextcloud-mcp" });
    expect(code).toBe(1);
    expect(out).toMatch(/Keycloak is not reachable at http:\/\/127\.0\.0\.1:9\/realms\/nextcloud-mcp.*set KEYCLOAK_ISSUER/);
    expect(out).not.toMatch(/\n\s+at /);
  });

  it("stops when the database is unreachable and names DATABASE_URL", async () => {
    const { code, out } = await preflight({ DATABASE_URL: "postgresql://postgres@127.0.0.1:9/nothing" });
    expect(code).toBe(1);
    expect(out).toMatch(/PostgreSQL is not reachable at 127\.0\.0\.1:9.*set DATABASE_URL/);
  });

  it("reads .env itself: fills what is unset, and never overrides what the environment sets", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ncdd-preflight-env-")), ".env");
    writeFileSync(file, `KEYCLOAK_WORKER_CLIENT_SECRET=${process.env.KEYCLOAK_WORKER_CLIENT_SECRET}\nNEXTAUTH_SECRET=short\n`);
    const { code, out } = await preflight({ KEYCLOAK_WORKER_CLIENT_SECRET: undefined, NCDD_DOTENV: file });
    expect(out).toContain("preflight: configuration, database and Keycloak are fine");
    expect(code).toBe(0);
  });
});
