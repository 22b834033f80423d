/**
 * `npx tsx bench/worker.bench.ts` — against the running Keycloak, PostgreSQL and an in-process Nextcloud
 * stand-in, prints:
 *  1. task runs/s and delegated requests/s with WORKER_CONCURRENCY 1, 2 and 8 slots in one worker, with a
 *     warm token cache and a cold one (cache emptied each round), token mints per run, and where a run's
 *     time goes (queue wait; then ncdd_task_run_phase_seconds_total: token module, Nextcloud, audit writes,
 *     the per-request check; the rest = the run's database work and code);
 *  2. the cost of one cached delegated-token call (memory with the revocation listener live, and the
 *     database path) and of the per-request database re-check, next to a bare fetch, interleaved;
 *  3. revoke→worker-stop latency p50/p95 over 50 revocations of running tasks (pause / revoke, pushed with
 *     NOTIFY) with Nextcloud answering at once and in 50 ms, and where it goes (the notice, the answer of the
 *     request in flight at the ack, the rest up to the run recorded stopped), which path found each stop
 *     (ncdd_task_run_stops_total), and Nextcloud requests started after any acknowledgement.
 * Prints figures; asserts nothing. Own database: ncdd_bench_worker (BENCH_PEOPLE people with two tasks each;
 * not the audit bench's database: its recent rows would squeeze the audit seed into one hour).
 */
import { randomUUID } from "node:crypto";
import { prepareBench } from "./lib/bench-setup";

await prepareBench("postgresql://postgres@127.0.0.1:5432/ncdd_bench_worker");
const { startNextcloudStandIn } = await import("../test/nextcloud-stand-in/start-stand-in");
const standIn = await startNextcloudStandIn({ port: 0, issuer: process.env.KEYCLOAK_ISSUER!, audience: "nextcloud" });
process.env.NEXTCLOUD_URL = standIn.url;

// Where time goes: every fetch of this process is timed by destination (token endpoint or Nextcloud), and
// the Nextcloud ones are kept (start, answer) so section 3 can tell what was in flight at a revoke's ack.
const spent = { token: 0, nextcloud: 0 };
let trackCalls = false;
const ncCalls: { start: number; end: number | null }[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const t0 = performance.now();
  const call = url.startsWith(standIn.url) && trackCalls ? { start: Date.now(), end: null as number | null } : null;
  if (call) ncCalls.push(call);
  try {
    return await realFetch(input, init);
  } finally {
    const ms = performance.now() - t0;
    if (call) call.end = Date.now();
    if (url.startsWith(standIn.url)) spent.nextcloud += ms;
    else if (url.includes("/protocol/openid-connect/token")) spent.token += ms;
  }
};

const { default: migrate } = await import("../test/global-setup");
await migrate();
const { db } = await import("../lib/db");
const { startTaskQueue } = await import("../lib/jobs/task-queue");
const { workTaskRuns } = await import("../lib/jobs/task-run-job");
const { scheduleDueTasks } = await import("../lib/jobs/schedule-due-tasks");
const { enableTask } = await import("../lib/services/tasks/enable-task");
const { changeTask } = await import("../lib/services/tasks/change-task");
const { getDelegatedToken } = await import("../lib/grants/get-delegated-token");
const { assertRunMayAct } = await import("../lib/jobs/assert-run-may-act");
const { publishRevocation } = await import("../lib/grants/publish-revocation");
const hints = await import("../lib/grants/revocation-hints");
const { startRevocationListener } = await import("../lib/jobs/revocation-listener");
const { createGrantOverHttp } = await import("../test/keycloak/grant-fixture");
const { createPerson, deletePerson } = await import("../test/keycloak/person-fixture");
const { processMetrics } = await import("../lib/metrics/process-metrics");

/** Current values of a labelled counter of this process, by its one label. */
async function counterValues(counter?: {
  get(): Promise<{ values: { labels: Record<string, string | number>; value: number }[] }>;
}): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (!counter) return out;
  for (const v of (await counter.get()).values) out[String(Object.values(v.labels)[0])] = v.value;
  return out;
}
const diff = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k]! - (b[k] ?? 0)]));

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 6);
const REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? 50);
const listener = startRevocationListener(process.env.DATABASE_URL!);
await listener.ready;

await db().task.deleteMany({});
await db().$executeRawUnsafe("DELETE FROM pgboss.job");
const people = [];
const taskIds: string[] = [];
const grants: { grantId: string; ctx: { userSub: string; username: string; isAdmin: boolean; correlationId: string } }[] = [];
for (let i = 0; i < PEOPLE; i += 1) {
  const person = await createPerson("bench-worker");
  people.push(person);
  const { grantId, redeemed } = await createGrantOverHttp(person, ["notes.read", "files.read"]);
  const ctx = { userSub: redeemed.sub, username: person.username, isAdmin: false, correlationId: randomUUID() };
  grants.push({ grantId, ctx });
  for (const type of ["notes-index", "files-inventory"] as const) taskIds.push((await enableTask(ctx, { type })).taskId);
}
await db().task.updateMany({ where: { id: { in: taskIds } }, data: { nextRunAt: null } });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function measure(concurrency: number, coldCache: boolean) {
  const boss = await startTaskQueue();
  await workTaskRuns(boss, concurrency);
  const since = new Date();
  const requestsBefore = standIn.requests().length;
  const spentBefore = { ...spent };
  const phasesBefore = await counterValues(processMetrics().taskRunPhaseSeconds);
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round += 1) {
    // Notes are re-read every round: forget etags so each run does the full work.
    await db().noteDocument.deleteMany({});
    if (coldCache) {
      const ids = grants.map((g) => g.grantId);
      await db().grant.updateMany({ where: { id: { in: ids } }, data: { accessTokenEnc: null, accessExpiresAt: null } });
      // As a new consent would: workers forget what they hold for these grants.
      await db().$transaction((tx) => publishRevocation(tx, { changedGrantIds: ids }));
    }
    await db().task.updateMany({ where: { id: { in: taskIds } }, data: { nextRunAt: new Date() } });
    await scheduleDueTasks(boss);
    while ((await db().taskRun.count({ where: { taskId: { in: taskIds }, status: { in: ["queued", "running"] } } })) > 0) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const done = await db().taskRun.findMany({
    where: { taskId: { in: taskIds }, status: "succeeded", finishedAt: { gte: since } },
    select: { createdAt: true, startedAt: true, durationMs: true },
  });
  const runs = done.length;
  const requests = standIn.requests().length - requestsBefore;
  const mints = await db().auditEvent.count({
    where: { action: { in: ["token.refresh", "token.exchange"] }, outcome: "success", at: { gte: since } },
  });
  await boss.stop({ graceful: true, timeout: 5000 });
  const phases = diff(await counterValues(processMetrics().taskRunPhaseSeconds), phasesBefore);
  const per = (x: number) => x / Math.max(1, runs);
  const runMs = per(done.reduce((a, r) => a + (r.durationMs ?? 0), 0));
  const tokenMs = per(spent.token - spentBefore.token);
  const ncMs = per(spent.nextcloud - spentBefore.nextcloud);
  const waitMs = per(done.reduce((a, r) => a + ((r.startedAt?.getTime() ?? 0) - r.createdAt.getTime()), 0));
  const phaseMs = (phase: string) => per((phases[phase] ?? 0) * 1000);
  return {
    concurrency,
    coldCache,
    runs,
    seconds,
    runsPerSecond: runs / seconds,
    requests,
    requestsPerSecond: requests / seconds,
    mintsPerRun: per(mints),
    runMs,
    tokenMs,
    ncMs,
    waitMs,
    checkMs: phaseMs("check"),
    tokenModuleMs: phaseMs("token"),
    nextcloudMs: phaseMs("nextcloud"),
    auditMs: phaseMs("audit"),
  };
}

console.log(
  `== 1. throughput (${PEOPLE} people x 2 tasks, ${ROUNDS} rounds, stand-in latency 0 ms, token exchange ${process.env.WORKER_TOKEN_EXCHANGE ?? "true"})`,
);
for (const coldCache of [false, true]) {
  for (const concurrency of [1, 2, 8]) {
    const r = await measure(concurrency, coldCache);
    console.log(
      `concurrency ${r.concurrency}, ${coldCache ? "cold" : "warm"} token cache: ${r.runs} runs in ${r.seconds.toFixed(2)} s = ${r.runsPerSecond.toFixed(1)} runs/s, ` +
        `${r.requestsPerSecond.toFixed(0)} delegated requests/s, ${r.mintsPerRun.toFixed(2)} mints/run; per run: queue wait ${r.waitMs.toFixed(1)} ms, ` +
        `run ${r.runMs.toFixed(1)} ms = token ${r.tokenModuleMs.toFixed(1)} (Keycloak ${r.tokenMs.toFixed(1)}) + Nextcloud ${r.nextcloudMs.toFixed(1)} (HTTP ${r.ncMs.toFixed(1)}) + ` +
        `audit ${r.auditMs.toFixed(1)} + per-request check ${r.checkMs.toFixed(1)} + database/code ${Math.max(0, r.runMs - r.tokenModuleMs - r.nextcloudMs - r.auditMs - r.checkMs).toFixed(1)}`,
    );
  }
}

console.log("== 2. cost per delegated request (one grant, cached token), side by side");
{
  const { grantId } = grants[0]!;
  const recorder = async () => undefined;
  const N = 2000;
  const time = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i += 1) await fn();
    const t0 = performance.now();
    for (let i = 0; i < N; i += 1) await fn();
    return (performance.now() - t0) / N;
  };
  const exchange = process.env.WORKER_TOKEN_EXCHANGE !== "false";
  const cached = () => getDelegatedToken({ grantId, recorder, correlationId: "bench", exchange });
  // The physical reference: one bare HTTP round trip to the (0 ms) Nextcloud stand-in, no token module.
  const bare = async () => (await realFetch(`${standIn.url}/status.php`)).arrayBuffer();
  let memoryMs = 0;
  let bareMs = 0;
  for (let round = 0; round < 4; round += 1) {
    memoryMs += (await time(cached)) / 4;
    bareMs += (await time(bare)) / 4;
  }
  hints.setRevocationListenerLive(false);
  const databaseMs = await time(cached);
  hints.setRevocationListenerLive(true);
  const task = await db().task.findFirstOrThrow({ where: { grantId, status: "active" } });
  const checkMs = await time(() => assertRunMayAct({ taskId: task.id, runId: "none", leaseId: "none", grantId }).catch(() => undefined));
  console.log(
    `cached token: ${memoryMs.toFixed(3)} ms/call from memory (listener live) vs a bare fetch of the stand-in ${bareMs.toFixed(3)} ms/call (interleaved): cached path = ${(memoryMs / bareMs).toFixed(3)}x a bare fetch`,
  );
  console.log(
    `cached token from the database (listener down: read + decrypt): ${databaseMs.toFixed(3)} ms/call = ${(databaseMs / memoryMs).toFixed(1)}x memory`,
  );
  console.log(
    `per-request re-check (the backstop, one indexed read): ${checkMs.toFixed(3)} ms/call = ${(checkMs / bareMs).toFixed(2)}x a bare fetch`,
  );
}

for (const latencyMs of [0, 50]) {
  console.log(
    `== 3. revoke -> worker stop (${REVOCATIONS} revocations of running tasks, stand-in latency ${latencyMs} ms per WebDAV request)`,
  );
  const boss = await startTaskQueue();
  await workTaskRuns(boss, 2);
  standIn.setLatencyMs(latencyMs);
  const { ctx, grantId } = grants[grants.length - 1]!;
  const tasks = await db().task.findMany({ where: { grantId } });
  const files = tasks.find((t) => t.type === "files-inventory")!;
  const notes = tasks.find((t) => t.type === "notes-index")!;
  if (notes.status !== "paused") await changeTask({ ...ctx, correlationId: randomUUID() }, { action: "pause", taskId: notes.id });
  const stopMs: number[] = [];
  const noticeMs: number[] = [];
  const inFlightMs: number[] = [];
  const afterAnswerMs: number[] = [];
  let inFlightAtAck = 0;
  let afterAck = 0;
  let startedAfterAck = 0;
  let missed = 0;
  const heard = new Map<string, number>();
  const off = hints.onRevocationNotice((n) => n.taskIds?.forEach((id) => heard.set(id, Date.now())));
  const stopsBefore = await counterValues(processMetrics().runStops);
  trackCalls = true;
  while (stopMs.length < REVOCATIONS && missed < REVOCATIONS) {
    const action = stopMs.length % 2 === 0 ? "pause" : "revoke";
    const current = await db().task.findUniqueOrThrow({ where: { id: files.id } });
    if (current.status === "paused") await changeTask({ ...ctx, correlationId: randomUUID() }, { action: "resume", taskId: files.id });
    if (current.status === "revoked") await enableTask({ ...ctx, correlationId: randomUUID() }, { type: "files-inventory" });
    await db().task.update({ where: { id: files.id }, data: { nextRunAt: new Date() } });
    ncCalls.length = 0;
    await scheduleDueTasks(boss);
    let run = null;
    for (let i = 0; i < 1000 && !run; i += 1) {
      const r = await db().taskRun.findFirst({ where: { taskId: files.id }, orderBy: { createdAt: "desc" } });
      if (r?.status === "running" && r.itemsDone >= 1) run = r;
      else if (r && ["succeeded", "failed", "stopped"].includes(r.status) && i > 0) break;
      else await new Promise((res) => setTimeout(res, 2));
    }
    heard.delete(files.id);
    await changeTask({ ...ctx, correlationId: randomUUID() }, { action, taskId: files.id });
    const ack = Date.now();
    if (!run) {
      missed += 1;
      continue;
    }
    let finished = null;
    while (!finished) {
      const r = await db().taskRun.findUniqueOrThrow({ where: { id: run.id } });
      if (r.status !== "running") finished = r;
      else await new Promise((res) => setTimeout(res, 1));
    }
    const stoppedAt = finished.finishedAt?.getTime() ?? ack;
    stopMs.push(Math.max(0, stoppedAt - ack));
    if (heard.has(files.id)) noticeMs.push(heard.get(files.id)! - ack);
    // Where the time went: the answer of a request that was in flight at the ack, then the rest (its
    // audit row, the stop decision, the run's own stopped row).
    const inFlight = ncCalls.filter((c) => c.start <= ack && (c.end === null || c.end > ack));
    const answeredAt = Math.max(ack, ...inFlight.map((c) => c.end ?? ack));
    if (inFlight.length) inFlightAtAck += 1;
    inFlightMs.push(answeredAt - ack);
    afterAnswerMs.push(Math.max(0, stoppedAt - answeredAt));
    // Counted once this run's requests have all been answered: requests the worker started after the ack
    // (the guarantee), and requests the stand-in logged after it (it shares this process's event loop, so a
    // request started just before the ack can be logged just after it).
    while (ncCalls.some((c) => c.end === null)) await new Promise((r) => setTimeout(r, 5));
    startedAfterAck += ncCalls.filter((c) => c.start > ack).length;
    afterAck += standIn.requests().filter((r) => r.uid === ctx.username && Date.parse(r.time) > ack).length;
  }
  trackCalls = false;
  off();
  const stops = diff(await counterValues(processMetrics().runStops), stopsBefore);
  standIn.setLatencyMs(0);
  await boss.stop({ graceful: true, timeout: 5000 });
  console.log(
    `revoke->worker stop: p50 ${pct(stopMs, 50)} ms, p95 ${pct(stopMs, 95)} ms, max ${Math.max(...stopMs)} ms over ${stopMs.length} revocations (${missed} runs finished before the revoke, not counted); ` +
      `Nextcloud requests started after an ack: ${startedAfterAck} (logged by the stand-in after an ack: ${afterAck})`,
  );
  console.log(
    `  where it goes: notice heard relative to the ack (negative: before the revoking call returned) p50 ${pct(noticeMs, 50)} / p95 ${pct(noticeMs, 95)} ms; waiting for the answer of the request in flight at the ack ` +
      `(${inFlightAtAck} of ${stopMs.length}) p50 ${pct(inFlightMs, 50)} / p95 ${pct(inFlightMs, 95)} ms; from that answer to the run recorded stopped ` +
      `(its audit row, the stop decision, the run's row) p50 ${pct(afterAnswerMs, 50)} / p95 ${pct(afterAnswerMs, 95)} ms`,
  );
  console.log(
    `  stops found by: ${
      Object.entries(stops)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "(counter not available)"
    }`,
  );
}

await listener.stop();
await standIn.close();
for (const p of people) await deletePerson(p).catch(() => undefined);
await db().$disconnect();
process.exit(0);
