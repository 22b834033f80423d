import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseYAML } from "confbox";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

// Compose cannot run here, so this reads docker-compose.yml and runs each HTTP healthcheck's own command
// against a stand-in server: the probe must ask the product's real readiness endpoint and pass or fail
// with its answer, and every service must wait for its dependencies to be healthy, not merely started.

const ROOT = path.resolve(import.meta.dirname, "../../..");

type THealthcheck = { test: string[]; interval?: string; retries?: number };
type TService = {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: THealthcheck;
  depends_on?: unknown;
  restart?: string;
};
const compose = parseYAML<{ services: Record<string, TService> }>(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8"));
const services = compose.services;
/** Services that run once and exit (migrations): waited for by completion, not health. */
const oneShot = (name: string) => services[name]?.restart === "no";

/** The probe's command line as the container runs it (compose turns `$$` into `$`). */
function probeArgv(hc: THealthcheck): string[] {
  const [kind, ...rest] = hc.test;
  const argv = kind === "CMD-SHELL" ? ["sh", "-c", rest.join(" ")] : rest;
  return argv.map((a) => a.replaceAll("$$", "$"));
}

/**
 * Runs a service's probe with `address` (as the probe spells it) pointed at a stand-in on another port that
 * answers `status` and `body`; resolves the probe's exit code and the paths it asked for.
 */
async function runProbe(service: string, address: string, status: number, body = "{}"): Promise<{ code: number | null; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? "");
    res.writeHead(status, { "content-type": "application/json", connection: "close" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  // http://host[:port] or bash's /dev/tcp/host/port
  const moved = address.startsWith("/dev/tcp/") ? address.replace(/\/\d+$/, `/${port}`) : address.replace(/(:\d+)?$/, `:${port}`);
  try {
    const argv = probeArgv(services[service]!.healthcheck!);
    expect(argv.join(" "), `${service}'s probe should ask ${address}`).toContain(address);
    const pointed = argv.map((a) => a.replaceAll(address, moved));
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(pointed[0]!, pointed.slice(1), { stdio: "ignore" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 4_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    return { code, paths };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

describe("docker-compose.yml healthchecks and start order", { timeout: 20_000 }, () => {
  it("gives every long-running service a healthcheck, and every dependency waits for health (or completion)", () => {
    const problems: string[] = [];
    for (const [name, svc] of Object.entries(services)) {
      if (!oneShot(name) && !svc.healthcheck?.test?.length) problems.push(`${name}: no healthcheck`);
      if (svc.depends_on === undefined) continue;
      if (Array.isArray(svc.depends_on) || typeof svc.depends_on !== "object") {
        problems.push(`${name}: depends_on is a plain list (waits only for "started")`);
        continue;
      }
      for (const [dep, spec] of Object.entries(svc.depends_on as Record<string, { condition?: string }>)) {
        const want = oneShot(dep) ? "service_completed_successfully" : "service_healthy";
        if (!services[dep]) problems.push(`${name}: depends on unknown service ${dep}`);
        if (spec?.condition !== want) problems.push(`${name} → ${dep}: condition ${spec?.condition ?? "(none)"}, want ${want}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("starts the dashboard and the worker only after PostgreSQL, the migrations and Keycloak; the worker after the dashboard", () => {
    const deps = (name: string) => Object.keys((services[name]?.depends_on ?? {}) as object).sort();
    expect(deps("dashboard")).toEqual(["keycloak", "migrate", "postgres"]);
    expect(deps("worker")).toEqual(["dashboard", "keycloak", "migrate", "postgres"]);
    expect(deps("migrate")).toEqual(["postgres"]);
    expect(deps("nextcloud")).toEqual(["keycloak", "nextcloud-db"]);
  });

  it("probes the dashboard's real readiness route on the port it serves, and fails on 503", async () => {
    const port = services.dashboard!.command![services.dashboard!.command!.indexOf("-p") + 1];
    expect(existsSync(path.join(ROOT, "app/api/health/ready/route.ts"))).toBe(true);
    const origin = `http://127.0.0.1:${port}`;
    expect(await runProbe("dashboard", origin, 200)).toEqual({ code: 0, paths: ["/api/health/ready"] });
    expect((await runProbe("dashboard", origin, 503)).code).not.toBe(0);
  });

  it("probes the worker's readiness on the port the worker opens (WORKER_HTTP_PORT), and fails on 503", async () => {
    const configured = services.worker!.environment?.WORKER_HTTP_PORT;
    const port = configured ?? parseEnv({ ...process.env, WORKER_HTTP_PORT: undefined }).WORKER_HTTP_PORT;
    const workerHttp = readFileSync(path.join(ROOT, "lib/jobs/worker-http.ts"), "utf8");
    expect(workerHttp).toContain('path === "/health/ready"');
    const origin = `http://127.0.0.1:${port}`;
    expect(await runProbe("worker", origin, 200)).toEqual({ code: 0, paths: ["/health/ready"] });
    expect((await runProbe("worker", origin, 503)).code).not.toBe(0);
  });

  it("probes Keycloak's readiness on its management port, with health enabled, and fails on 503", async () => {
    expect(services.keycloak!.command).toContain("--health-enabled=true");
    const address = "/dev/tcp/127.0.0.1/9000";
    expect(probeArgv(services.keycloak!.healthcheck!).join(" ")).toContain("GET /health/ready ");
    expect(await runProbe("keycloak", address, 200)).toEqual({ code: 0, paths: ["/health/ready"] });
    expect((await runProbe("keycloak", address, 503)).code).not.toBe(0);
  });

  it("probes Nextcloud's status.php and is healthy only once it says installed", async () => {
    const origin = "http://127.0.0.1";
    expect(await runProbe("nextcloud", origin, 200, '{"installed":true,"maintenance":false}')).toEqual({ code: 0, paths: ["/status.php"] });
    expect((await runProbe("nextcloud", origin, 200, '{"installed":false}')).code).not.toBe(0);
    expect((await runProbe("nextcloud", origin, 503)).code).not.toBe(0);
  });

  it("checks both PostgreSQL servers with pg_isready as their own user", () => {
    expect(probeArgv(services.postgres!.healthcheck!).join(" ")).toContain("pg_isready -U postgres");
    expect(probeArgv(services["nextcloud-db"]!.healthcheck!).join(" ")).toContain(
      `pg_isready -U ${services["nextcloud-db"]!.environment!.POSTGRES_USER}`,
    );
  });
});
