/**
 * `npx tsx bench/scale.bench.ts` — the worker at 100 and then 1,000 users (BENCH_USERS, default "100,1000"),
 * against the running Keycloak, PostgreSQL and a Nextcloud stand-in in its own process (so the figures
 * below are the worker's alone). Each user is a real Keycloak user (admin API) with a consent obtained over
 * HTTP (login and consent forms, code redeemed through lib/oauth, as test/keycloak/person-fixture.ts does),
 * a grant and both tasks. Per step it runs one round of every task with cold token caches and prints:
 * runs/s, token mints/s, Nextcloud requests/s, the worker's memory and CPU, where a run's time goes, and
 * next to it Keycloak's bare refresh + exchange rate measured right after, with as many concurrent chains
 * as the worker has slots: the ratio says how close the round came to the time Keycloak alone needs for
 * its mints (goal ≥ 0.8). Cost per run (CPU, database) should stay flat from 100 to 1,000 users.
 * Deletes the Keycloak users it created (also those a crashed earlier run left behind). Long: run it under
 * the shared lock, and only when needed. Own database: ncdd_bench_scale (reset at start).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { prepareBench } from "./lib/bench-setup";

await prepareBench("postgresql://postgres@127.0.0.1:5432/ncdd_bench_scale");

const STEPS = (process.env.BENCH_USERS ?? "100,1000").split(",").map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 4);
const BARE_SECONDS = Number(process.env.BENCH_BARE_SECONDS ?? 8);
const PREFIX = "bench-scale-";
const root = fileURLToPath(new URL("..", import.meta.url));

spawnSync(process.execPath, ["--import", "tsx", "scripts/reset-database.ts", process.env.DATABASE_URL!], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
});
const { default: migrate } = await import("../test/global-setup");
await migrate();

// The stand-in in a process of its own: its per-user trees must not count as the worker's memory.
const standIn: { process: ChildProcess; url: string } = await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ["--import", "tsx", "test/nextcloud-stand-in/main.ts"], {
    cwd: root,
    env: { ...process.env, STANDIN_PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.once("exit", (code) => reject(new Error(`stand-in exited (${code})`)));
  child.stdout!.on("data", (chunk: Buffer) => {
    const url = /listening on (http:\/\/[^\s]+)/.exec(chunk.toString())?.[1];
    if (url) resolve({ process: child, url });
  });
});
process.on("exit", () => standIn.process.kill("SIGTERM"));
process.env.NEXTCLOUD_URL = standIn.url;

const { env } = await import("../lib/env");
const { db } = await import("../lib/db");
const { getOidcConfig } = await import("../lib/oauth/get-oidc-config");
const { startTaskQueue } = await import("../lib/jobs/task-queue");
const { workTaskRuns } = await import("../lib/jobs/task-run-job");
const { scheduleDueTasks } = await import("../lib/jobs/schedule-due-tasks");
const { startRevocationListener } = await import("../lib/jobs/revocation-listener");
const { delegatedTokenMemory } = await import("../lib/grants/delegated-token-memory");
const { storeConsentedGrant } = await import("../lib/grants/store-consented-grant");
const { enableTask } = await import("../lib/services/tasks/enable-task");
const { processMetrics } = await import("../lib/metrics/process-metrics");
const { revokeToken } = await import("../lib/oauth/revoke-token");
const { ensureOfflineAccessScopeMapping, getAdminToken } = await import("../test/keycloak/admin-api");
const { obtainOfflineConsentOverHttp } = await import("../test/keycloak/consent-over-http");

const adminBase = `${process.env.KEYCLOAK_ADMIN_URL ?? "http://localhost:8180"}/admin/realms/${new URL(env().KEYCLOAK_ISSUER).pathname.split("/").pop()}`;
// One admin token for a minute at a time: a fresh one per call would spend a password hash per request.
let admin: { token: string; until: number } | null = null;
async function adminFetch(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  if (!admin || admin.until < Date.now()) admin = { token: await getAdminToken(), until: Date.now() + 40_000 };
  const res = await fetch(`${adminBase}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok && res.status !== 404) throw new Error(`Keycloak admin ${init.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

async function deleteLeftovers(): Promise<number> {
  const res = await adminFetch(`/users?search=${PREFIX}&briefRepresentation=true&max=10000`);
  const users = ((await res.json()) as { id: string; username: string }[]).filter((u) => u.username.startsWith(PREFIX));
  await inParallel(users, SEED_CONCURRENCY, (u) => adminFetch(`/users/${u.id}`, { method: "DELETE" }));
  return users.length;
}

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

type TSeeded = { kcId: string; grantId: string };
const seeded: TSeeded[] = [];
const createdKcIds: string[] = [];

/** One person: Keycloak user (admin API), consent over HTTP, the Grant row, both tasks (not yet due). */
async function seedOne(): Promise<void> {
  const username = `${PREFIX}${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const created = await adminFetch("/users", {
    method: "POST",
    body: {
      username,
      enabled: true,
      firstName: "Bench",
      lastName: "Scale",
      email: `${username}@example.test`,
      emailVerified: true,
      credentials: [{ type: "password", value: password, temporary: false }],
    },
  });
  const kcId = created.headers.get("location")!.split("/").pop()!;
  createdKcIds.push(kcId);
  const redeemed = await obtainOfflineConsentOverHttp({ username, password }, ["notes.read", "files.read"]);
  await db().user.upsert({ where: { sub: redeemed.sub }, create: { sub: redeemed.sub, username }, update: {} });
  const { grantId } = await storeConsentedGrant(redeemed, "bench-scale");
  const ctx = { userSub: redeemed.sub, username, isAdmin: false, correlationId: randomUUID() };
  for (const type of ["notes-index", "files-inventory"] as const) await enableTask(ctx, { type });
  seeded.push({ kcId, grantId });
}

/** Keycloak alone: `chains` concurrent refresh → exchange chains (worker client, same audience and scopes). */
async function bareKeycloakRate(chains: string[], seconds: number): Promise<number> {
  const tokenEndpoint = (await getOidcConfig()).serverMetadata().token_endpoint!;
  const basic =
    "Basic " +
    Buffer.from(
      `${encodeURIComponent(env().KEYCLOAK_WORKER_CLIENT_ID)}:${encodeURIComponent(env().KEYCLOAK_WORKER_CLIENT_SECRET)}`,
    ).toString("base64");
  const post = async (form: Record<string, string>) => {
    const res = await fetch(tokenEndpoint, {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form),
    });
    const body = (await res.json()) as { access_token?: string; refresh_token?: string; error?: string };
    if (!res.ok || !body.access_token) throw new Error(`bare token call failed: ${res.status} ${body.error}`);
    return body;
  };
  let pairs = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    chains.map(async (_, i) => {
      while (performance.now() < until) {
        const refreshed = await post({ grant_type: "refresh_token", refresh_token: chains[i]! });
        chains[i] = refreshed.refresh_token!;
        await post({
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: refreshed.access_token!,
          subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
          audience: env().NEXTCLOUD_AUDIENCE,
          scope: "notes.read files.read",
        });
        pairs += 1;
      }
    }),
  );
  return pairs / ((performance.now() - started) / 1000);
}

async function phaseSeconds(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await processMetrics().taskRunPhaseSeconds.get()).values) out[String(v.labels.phase)] = v.value;
  return out;
}

/** One round of every task with cold token caches; the worker (CONCURRENCY slots) runs in this process. */
async function round(boss: Awaited<ReturnType<typeof startTaskQueue>>) {
  const grantIds = seeded.map((s) => s.grantId);
  await db().grant.updateMany({ where: { id: { in: grantIds } }, data: { accessTokenEnc: null, accessExpiresAt: null } });
  for (const id of grantIds) delegatedTokenMemory.forget(id);
  // Every run does its full work: nothing indexed from an earlier round.
  await db().noteDocument.deleteMany({});
  await db().fileEntry.deleteMany({});
  const phasesBefore = await phaseSeconds();
  const cpuBefore = process.cpuUsage();
  const since = new Date();
  const started = performance.now();
  await db().task.updateMany({ data: { nextRunAt: new Date() } });
  while ((await scheduleDueTasks(boss, 200)) > 0);
  while ((await db().taskRun.count({ where: { status: { in: ["queued", "running"] } } })) > 0) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const phasesAfter = await phaseSeconds();
  const runs = await db().taskRun.groupBy({
    by: ["status"],
    where: { createdAt: { gte: since } },
    _count: true,
    _sum: { durationMs: true },
  });
  const count = (action: string) => db().auditEvent.count({ where: { action, outcome: "success", at: { gte: since } } });
  const succeeded = runs.find((r) => r.status === "succeeded");
  const total = runs.reduce((n, r) => n + r._count, 0);
  const runMsSum = runs.reduce((n, r) => n + (r._sum.durationMs ?? 0), 0);
  const phase = (p: string) => (((phasesAfter[p] ?? 0) - (phasesBefore[p] ?? 0)) * 1000) / Math.max(1, total);
  const memory = process.memoryUsage();
  return {
    seconds,
    runs: total,
    succeeded: succeeded?._count ?? 0,
    others: runs
      .filter((r) => r.status !== "succeeded")
      .map((r) => `${r._count} ${r.status}`)
      .join(", "),
    refreshes: await count("token.refresh"),
    exchanges: await count("token.exchange"),
    nextcloudRequests: await count("nextcloud.request"),
    cpuMsPerRun: (cpu.user + cpu.system) / 1000 / Math.max(1, total),
    runMs: runMsSum / Math.max(1, total),
    phases: { check: phase("check"), token: phase("token"), nextcloud: phase("nextcloud"), audit: phase("audit") },
    rssMb: memory.rss / 2 ** 20,
    heapMb: memory.heapUsed / 2 ** 20,
  };
}

const f1 = (x: number) => x.toFixed(1);
console.log(
  `== scale: ${STEPS.join(" then ")} users, worker with ${CONCURRENCY} slots, ${CONCURRENCY} bare Keycloak chains, stand-in in its own process (0 ms)`,
);
// Everything from here on is undone in `finally`: the stand-in process, the users created, the chains.
const chains: string[] = [];
const results: { users: number; r: Awaited<ReturnType<typeof round>>; bare: number }[] = [];
const listener = startRevocationListener(env().DATABASE_URL);
try {
  console.log(`removed ${await deleteLeftovers()} users left by an earlier run`);
  await ensureOfflineAccessScopeMapping();
  await listener.ready;
  // The bare chains' own consents (one SSO session each), never touched by the worker.
  const refUser = { username: `${PREFIX}ref-${randomUUID().slice(0, 8)}`, password: `pw-${randomUUID()}` };
  const refCreated = await adminFetch("/users", {
    method: "POST",
    body: {
      username: refUser.username,
      enabled: true,
      firstName: "Bench",
      lastName: "Ref",
      email: `${refUser.username}@example.test`,
      emailVerified: true,
      credentials: [{ type: "password", value: refUser.password, temporary: false }],
    },
  });
  createdKcIds.push(refCreated.headers.get("location")!.split("/").pop()!);
  for (let i = 0; i < CONCURRENCY; i += 1)
    chains.push((await obtainOfflineConsentOverHttp(refUser, ["notes.read", "files.read"])).offlineToken);
  const memoryAtStart = process.memoryUsage().rss / 2 ** 20;
  for (const users of STEPS) {
    const seedStart = performance.now();
    await inParallel(Array.from({ length: users - seeded.length }), SEED_CONCURRENCY, () => seedOne());
    console.log(
      `seeded ${seeded.length} users (Keycloak user, consent over HTTP, grant, 2 tasks) in ${f1((performance.now() - seedStart) / 1000)} s`,
    );
    const boss = await startTaskQueue();
    await workTaskRuns(boss, CONCURRENCY);
    const r = await round(boss);
    await boss.stop({ graceful: true, timeout: 10_000 });
    const bare = await bareKeycloakRate(chains, BARE_SECONDS);
    results.push({ users, r, bare });
    const mints = r.refreshes;
    const ratio = mints / bare / r.seconds;
    console.log(
      `${users} users: ${r.runs} runs (${r.succeeded} succeeded${r.others ? `, ${r.others}` : ""}) in ${f1(r.seconds)} s = ${f1(r.runs / r.seconds)} runs/s; ` +
        `token mints ${f1(mints / r.seconds)}/s (${mints} refresh + ${r.exchanges} exchange); Nextcloud ${f1(r.nextcloudRequests / r.seconds)} requests/s; ` +
        `worker RSS ${f1(r.rssMb)} MB (started at ${f1(memoryAtStart)}), heap ${f1(r.heapMb)} MB`,
    );
    console.log(
      `  Keycloak bare refresh+exchange, ${CONCURRENCY} chains, measured right after: ${f1(bare)} pairs/s -> the round's ${mints} mints need ${f1(mints / bare)} s of Keycloak; ` +
        `ratio ${ratio.toFixed(2)}x (goal >= 0.8)`,
    );
    console.log(
      `  cost per run: worker CPU ${f1(r.cpuMsPerRun)} ms; wall ${f1(r.runMs)} ms = token ${f1(r.phases.token)} + Nextcloud ${f1(r.phases.nextcloud)} + audit ${f1(r.phases.audit)} + ` +
        `check ${f1(r.phases.check)} + database/code ${f1(Math.max(0, r.runMs - r.phases.token - r.phases.nextcloud - r.phases.audit - r.phases.check))}`,
    );
  }
  if (results.length > 1) {
    const [a, b] = [results[0]!, results[results.length - 1]!];
    console.log(
      `cost per run ${a.users} -> ${b.users} users: worker CPU ${f1(a.r.cpuMsPerRun)} -> ${f1(b.r.cpuMsPerRun)} ms (x${(b.r.cpuMsPerRun / a.r.cpuMsPerRun).toFixed(2)}), ` +
        `database/code ${f1(a.r.runMs - a.r.phases.token - a.r.phases.nextcloud - a.r.phases.audit - a.r.phases.check)} -> ` +
        `${f1(b.r.runMs - b.r.phases.token - b.r.phases.nextcloud - b.r.phases.audit - b.r.phases.check)} ms, check ${f1(a.r.phases.check)} -> ${f1(b.r.phases.check)} ms, ` +
        `ratio to Keycloak ${(a.r.refreshes / a.bare / a.r.seconds).toFixed(2)} -> ${(b.r.refreshes / b.bare / b.r.seconds).toFixed(2)}`,
    );
  }
} finally {
  for (const chain of chains)
    await revokeToken(chain, "refresh_token", { recorder: async () => undefined, correlationId: "bench-scale" }).catch(() => undefined);
  await inParallel(createdKcIds, SEED_CONCURRENCY, (id) => adminFetch(`/users/${id}`, { method: "DELETE" }).catch(() => undefined));
  console.log(`removed the ${createdKcIds.length} Keycloak users this run created`);
  await listener.stop();
  standIn.process.removeAllListeners("exit");
  standIn.process.kill("SIGTERM");
  await db().$disconnect();
}
process.exit(0);
