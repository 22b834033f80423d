import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTcpProxy, type TTcpProxy } from "./tcp-proxy";

// PostgreSQL and Keycloak are shared: outages are simulated by closing proxies this file owns.
let dbProxy: TTcpProxy;
let kcProxy: TTcpProxy;
let m: {
  GET: typeof import("@/app/api/health/ready/route").GET;
  live: typeof import("@/app/api/health/live/route").GET;
  checkMigrations: typeof import("../check-migrations").checkMigrations;
  checkVaultKeys: typeof import("../check-vault-keys").checkVaultKeys;
  runHealthCheck: typeof import("../run-health-check").runHealthCheck;
};

type TReport = { status: string; checks: { name: string; ok: boolean; latencyMs: number; detail: string }[] };

async function ready(): Promise<{ httpStatus: number; report: TReport; raw: string }> {
  const res = await m.GET();
  const raw = await res.text();
  return { httpStatus: res.status, report: JSON.parse(raw) as TReport, raw };
}

const check = (r: TReport, name: string) => r.checks.find((c) => c.name === name)!;

async function eventually(fn: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("condition not met in time");
}

beforeAll(async () => {
  const dbUrl = new URL(process.env.DATABASE_URL!);
  dbProxy = await startTcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
  dbUrl.host = `127.0.0.1:${dbProxy.port}`;
  process.env.DATABASE_URL = dbUrl.toString();
  const issuer = new URL(process.env.KEYCLOAK_ISSUER!);
  kcProxy = await startTcpProxy(issuer.hostname === "localhost" ? "127.0.0.1" : issuer.hostname, Number(issuer.port || 80));
  process.env.KEYCLOAK_ISSUER = `http://127.0.0.1:${kcProxy.port}${issuer.pathname}`;
  m = {
    GET: (await import("@/app/api/health/ready/route")).GET,
    live: (await import("@/app/api/health/live/route")).GET,
    checkMigrations: (await import("../check-migrations")).checkMigrations,
    checkVaultKeys: (await import("../check-vault-keys")).checkVaultKeys,
    runHealthCheck: (await import("../run-health-check")).runHealthCheck,
  };
});

afterAll(async () => {
  await dbProxy?.close();
  await kcProxy?.close();
});

describe("app readiness", () => {
  it("is live without touching any dependency", async () => {
    await dbProxy.close();
    try {
      const res = m.live();
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "live" });
    } finally {
      await dbProxy.open();
    }
  });

  it("is ready with every check and its latency, and says nothing secret", async () => {
    const { httpStatus, report, raw } = await ready();
    expect(report.status, raw).toBe("ready");
    expect(httpStatus).toBe(200);
    expect(report.checks.map((c) => c.name).sort()).toEqual(["database", "keycloak", "migrations", "vault"]);
    for (const c of report.checks) {
      expect(c.ok).toBe(true);
      expect(c.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(check(report, "migrations").detail).toMatch(/^(\d+) of \1 migrations applied$/);
    expect(check(report, "vault").detail).toContain("2 keys loaded");
    for (const secret of [
      process.env.KEYCLOAK_WORKER_CLIENT_SECRET!,
      process.env.KEYCLOAK_DASHBOARD_CLIENT_SECRET!,
      process.env.NEXTAUTH_SECRET!,
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
      "postgresql://",
    ]) {
      expect(raw).not.toContain(secret);
    }
  });

  it("goes unready when the database stops answering, and ready again when it is back", async () => {
    await dbProxy.close();
    try {
      const { httpStatus, report } = await ready();
      expect(httpStatus).toBe(503);
      expect(report.status).toBe("unready");
      expect(check(report, "database").ok).toBe(false);
      expect(check(report, "migrations").ok).toBe(false);
      expect(check(report, "keycloak").ok).toBe(true);
      expect(check(report, "database").latencyMs).toBeLessThan(2500);
    } finally {
      await dbProxy.open();
    }
    await eventually(async () => (await ready()).httpStatus === 200);
    expect(check((await ready()).report, "database").ok).toBe(true);
  });

  it("goes unready when Keycloak's discovery is unreachable, and ready again when it is back", async () => {
    // Past the success cache (10 s) of the previous answers.
    await kcProxy.close();
    try {
      await eventually(async () => (await ready()).httpStatus === 503, 20_000);
      const { report } = await ready();
      expect(check(report, "keycloak").ok).toBe(false);
      expect(check(report, "keycloak").detail).toMatch(/Keycloak unreachable/);
      expect(check(report, "database").ok).toBe(true);
    } finally {
      await kcProxy.open();
    }
    // A failure is cached for 2 s only.
    await eventually(async () => (await ready()).httpStatus === 200, 10_000);
  });

  it("is unready while a shipped migration is not applied", async () => {
    const real = path.join(process.cwd(), "prisma", "migrations");
    const dir = mkdtempSync(path.join(tmpdir(), "ncdd-migrations-"));
    cpSync(real, dir, { recursive: true });
    mkdirSync(path.join(dir, "20991231000000_not_yet_applied"));
    writeFileSync(path.join(dir, "20991231000000_not_yet_applied", "migration.sql"), "SELECT 1");
    const pending = await m.runHealthCheck("migrations", 2000, () => m.checkMigrations(dir));
    expect(pending.ok).toBe(false);
    expect(pending.detail).toContain("1 migration(s) not applied: 20991231000000_not_yet_applied");
    expect((await m.runHealthCheck("migrations", 2000, () => m.checkMigrations(real))).ok).toBe(true);
  });

  it("reports a check that hangs as failed at its deadline", async () => {
    const hung = await m.runHealthCheck("slow", 150, () => new Promise<string>(() => undefined));
    expect(hung).toMatchObject({ ok: false, detail: "timed out after 150 ms" });
    expect(hung.latencyMs).toBeLessThan(1000);
  });
});
