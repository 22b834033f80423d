import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { runPreflight } from "../run-preflight";

const run = promisify(execFile);

/** Runs the real preflight command with a modified environment and returns its exit code and output. */
async function preflight(overrides: Record<string, string | undefined>) {
  const env = { ...process.env, ...overrides };
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
});
