import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "../../lib/audit/record-event";
import { db } from "../../lib/db";
import { testAuditAction } from "../../test/test-audit-action";
import { loadDotenv } from "../lib/load-dotenv";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

// Only what the verifier uses: no client secrets, no vault keys, no NEXTAUTH_SECRET.
function minimalEnv(extra: Record<string, string> = {}) {
  const keep = ["PATH", "HOME", "DATABASE_URL", "AUDIT_CHECKPOINT_KEYS", "AUDIT_CHECKPOINT_DIR"];
  return { ...Object.fromEntries(keep.map((k) => [k, process.env[k] ?? ""])), NCDD_DOTENV: "0", ...extra };
}

async function cli(args: string[], env: Record<string, string>) {
  try {
    const r = await run("npx", ["tsx", "scripts/verify-audit.ts", ...args], { cwd: root, env: env as NodeJS.ProcessEnv, timeout: 60_000 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

// The file's own row: signing needs a trail with something in it, whichever test files ran before.
beforeAll(async () => {
  await recordAuditEvent({
    actor: "verify-cli-test",
    actorType: "system",
    action: testAuditAction("verify-cli.row"),
    outcome: "success",
    correlationId: "verify-cli",
  });
});

afterAll(async () => {
  await db().$disconnect();
});

describe("scripts/verify-audit.ts", () => {
  it("runs with DATABASE_URL and the checkpoint variables alone, and signs and verifies", async () => {
    const signed = await cli(["--sign"], minimalEnv());
    expect(signed.err).not.toMatch(/Configuration is incomplete/);
    expect(signed.code).toBe(0);
    expect(JSON.parse(signed.out)).toMatchObject({ ok: true, mode: "full", checkpoint: { kid: "a2" } });
    const inc = await cli(["--incremental"], minimalEnv());
    expect(inc.code).toBe(0);
    expect(inc.err).toMatch(/Audit chain OK \(incremental\)/);
  });

  it("checks a saved checkpoint with --against, and says what is wrong with a file that is none", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ncdd-cli-"));
    const signed = JSON.parse((await cli([], minimalEnv())).out) as { checkpoint: { headSeq: string } };
    expect(signed.checkpoint).not.toBeNull();
    const { readdirSync, readFileSync } = await import("node:fs");
    const store = process.env.AUDIT_CHECKPOINT_DIR!;
    const newest = readdirSync(store).sort().at(-1)!;
    writeFileSync(path.join(dir, "cp.json"), readFileSync(path.join(store, newest)));
    const ok = await cli(["--against", path.join(dir, "cp.json")], minimalEnv());
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/^Verified/);
    writeFileSync(path.join(dir, "junk.txt"), "not,an,export\r\n");
    const junk = await cli(["--against", path.join(dir, "junk.txt")], minimalEnv());
    expect(junk.code).toBe(2);
    expect(junk.err).toMatch(/neither an audit export/);
  });

  it("names DATABASE_URL when it is missing (and nothing else)", async () => {
    const r = await cli([], { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/root", DATABASE_URL: "", NCDD_DOTENV: "0" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/DATABASE_URL is not set/);
    expect(r.err).not.toMatch(/NEXTAUTH|VAULT|CLIENT_SECRET/);
  });
});

describe("loadDotenv", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  it("fills unset variables from a .env file and never overrides what is set", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ncdd-env-")), ".env");
    writeFileSync(file, "NCDD_T_A=from-file\nNCDD_T_B=from-file\n# comment\n");
    process.env.NCDD_T_B = "from-env";
    expect(loadDotenv(file)).toBe(true);
    expect(process.env.NCDD_T_A).toBe("from-file");
    expect(process.env.NCDD_T_B).toBe("from-env");
    expect(loadDotenv(path.join(tmpdir(), "does-not-exist.env"))).toBe(false);
    process.env.NCDD_DOTENV = "0";
    delete process.env.NCDD_T_A;
    expect(loadDotenv(file)).toBe(false);
    expect(process.env.NCDD_T_A).toBeUndefined();
  });
});
