import { expect } from "vitest";

/** The value of one sample, found by metric name and exact labels (order-insensitive); undefined when absent. */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.keys(got).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => got[k] === v))
      return Number(match[3]);
  }
  return undefined;
}

/** The sum of every sample of `name`, whatever its labels. */
export function total(text: string, name: string): number {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((n, l) => n + Number(l.split(" ").pop()), 0);
}

/** How much a sample grew between two scrapes (a sample absent from a scrape counts as 0). */
export function growth(before: string, after: string, name: string, labels: Record<string, string>): number {
  return (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
}

/**
 * A scrape holds nothing secret or personal: no JWT, no e-mail address, none of the test configuration's
 * client, session or vault secrets, and none of `alsoAbsent` (the metrics token, a user's id and name,
 * a path of theirs, a token a test sent).
 */
export function expectNothingSecretOrPersonal(text: string, alsoAbsent: string[]): void {
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/);
  expect(text).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
  for (const secret of [
    process.env.KEYCLOAK_WORKER_CLIENT_SECRET!,
    process.env.KEYCLOAK_DASHBOARD_CLIENT_SECRET!,
    process.env.NEXTAUTH_SECRET!,
    ...alsoAbsent,
  ]) {
    expect(secret.length, "an empty string proves nothing").toBeGreaterThan(0);
    expect(text).not.toContain(secret);
  }
  for (const key of process.env.TOKEN_VAULT_KEYS!.split(",")) expect(text).not.toContain(key.split(":")[1]!);
}

/**
 * What one successful notes-index run shows on its process's scrape, compared with the scrape before it:
 * the run once with its duration, every Nextcloud request the stand-in served (`served`, by method and
 * status), and a successful refresh and token exchange. Shared by the app-route and worker-port scrapes.
 */
export function expectRunCounted(
  before: string,
  after: string,
  served: { method: string; status: number | null }[],
  opts: { allServed: number },
): void {
  const run = { type: "notes-index", outcome: "succeeded" };
  expect(growth(before, after, "ncdd_task_runs_total", run)).toBe(1);
  expect(growth(before, after, "ncdd_task_run_duration_seconds_count", run)).toBe(1);
  expect(sample(after, "ncdd_task_run_duration_seconds_sum", run)).toBeGreaterThan(0);
  // Its requests, by method and status, matching what the Nextcloud stand-in served.
  expect(served.length).toBeGreaterThanOrEqual(2);
  for (const [method, status] of [
    ["GET", 200],
    ["PROPFIND", 207],
  ] as const) {
    expect(growth(before, after, "ncdd_nextcloud_requests_total", { method, status: String(status) }), `${method} ${status}`).toBe(
      served.filter((r) => r.method === method && r.status === status).length,
    );
  }
  expect(growth(before, after, "ncdd_nextcloud_requests_total", { method: "PROPFIND", status: "207" })).toBeGreaterThanOrEqual(1);
  expect(total(after, "ncdd_nextcloud_requests_total") - total(before, "ncdd_nextcloud_requests_total")).toBe(opts.allServed);
  // Its token work: a refresh of the offline token and an exchange (RFC 8693), both successful.
  for (const operation of ["refresh", "exchange"]) {
    expect(
      growth(before, after, "ncdd_oauth_token_requests_total", { operation, outcome: "success", error_code: "none" }),
      operation,
    ).toBeGreaterThanOrEqual(1);
  }
  expect(sample(after, "ncdd_worker_runs_in_flight", {})).toBe(0);
}
