/**
 * `npx tsx bench/worker.bench.ts` — prints, against the running Keycloak, PostgreSQL and an in-process
 * Nextcloud stand-in (zero latency): task runs per second and delegated Nextcloud requests per second
 * with one worker and with two (two pg-boss workers, concurrency 1 each; ratio in the same run), and
 * token mints (refresh + exchange) per run, both with a warm token cache and with the cache emptied at the
 * start of each round (as when the cached token has expired between scheduled runs). Prints figures;
 * asserts nothing. Own database: ncdd_bench_worker.
 */
import { randomUUID } from "node:crypto";
import { prepareBench } from "./lib/bench-setup";

await prepareBench("postgresql://postgres@127.0.0.1:5432/ncdd_bench_worker");
const { startNextcloudStandIn } = await import("../test/nextcloud-stand-in/start-stand-in");
const standIn = await startNextcloudStandIn({ port: 0, issuer: process.env.KEYCLOAK_ISSUER!, audience: "nextcloud" });
process.env.NEXTCLOUD_URL = standIn.url;

const { default: migrate } = await import("../test/global-setup");
await migrate();
const { db } = await import("../lib/db");
const { startTaskQueue, TASK_RUN_QUEUE } = await import("../lib/jobs/task-queue");
const { workTaskRuns } = await import("../lib/jobs/task-run-job");
const { scheduleDueTasks } = await import("../lib/jobs/schedule-due-tasks");
const { enableTask } = await import("../lib/services/tasks/enable-task");
const { LOCAL_USERS } = await import("../test/keycloak/consent-over-http");
const { createGrantOverHttp } = await import("../test/keycloak/grant-fixture");

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

// Four tasks (two users x two task types), each with its own real grant.
const taskIds: string[] = [];
for (const user of ["alice", "bob"] as const) {
  const { redeemed } = await createGrantOverHttp(LOCAL_USERS[user], ["notes.read", "files.read"]);
  const ctx = { userSub: redeemed.sub, username: user, isAdmin: false, correlationId: randomUUID() };
  for (const type of ["notes-index", "files-inventory"] as const) taskIds.push((await enableTask(ctx, { type })).taskId);
}
await db().task.updateMany({ where: { id: { in: taskIds } }, data: { nextRunAt: null } });

async function measure(workers: number, coldCache: boolean) {
  const bosses = [];
  for (let i = 0; i < workers; i += 1) {
    const b = await startTaskQueue();
    await workTaskRuns(b, 1);
    bosses.push(b);
  }
  const scheduler = bosses[0]!;
  const since = new Date();
  const requestsBefore = standIn.requests().length;
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round += 1) {
    // Notes are re-read every round: forget etags so each run does the full work.
    await db().noteDocument.deleteMany({});
    if (coldCache) await db().grant.updateMany({ where: { tasks: { some: { id: { in: taskIds } } } }, data: { accessTokenEnc: null, accessExpiresAt: null } });
    await db().task.updateMany({ where: { id: { in: taskIds } }, data: { nextRunAt: new Date() } });
    await scheduleDueTasks(scheduler);
    while ((await db().taskRun.count({ where: { taskId: { in: taskIds }, status: { in: ["queued", "running"] } } })) > 0) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const runs = await db().taskRun.count({ where: { taskId: { in: taskIds }, status: "succeeded", finishedAt: { gte: since } } });
  const requests = standIn.requests().length - requestsBefore;
  const mints = await db().auditEvent.count({ where: { action: { in: ["token.refresh", "token.exchange"] }, outcome: "success", at: { gte: since } } });
  for (const b of bosses) await b.stop({ graceful: true, timeout: 5000 });
  return { workers, coldCache, runs, seconds, runsPerSecond: runs / seconds, requestsPerSecond: requests / seconds, requests, mintsPerRun: mints / Math.max(1, runs) };
}

const fmt = (r: Awaited<ReturnType<typeof measure>>) =>
  `${r.workers} worker(s), ${r.coldCache ? "cold" : "warm"} token cache: ${r.runs} runs in ${r.seconds.toFixed(2)} s = ${r.runsPerSecond.toFixed(2)} runs/s, ${r.requestsPerSecond.toFixed(1)} delegated requests/s (${r.requests} requests), ${r.mintsPerRun.toFixed(2)} token mints per run`;
for (const coldCache of [false, true]) {
  const one = await measure(1, coldCache);
  const two = await measure(2, coldCache);
  console.log(fmt(one));
  console.log(fmt(two));
  console.log(`  two/one ratio: runs/s x${(two.runsPerSecond / one.runsPerSecond).toFixed(2)}, requests/s x${(two.requestsPerSecond / one.requestsPerSecond).toFixed(2)}`);
}
console.log(`(queue: ${TASK_RUN_QUEUE}, ${ROUNDS} rounds of ${taskIds.length} tasks, stand-in latency 0 ms, token exchange ${process.env.WORKER_TOKEN_EXCHANGE ?? "true"})`);
await standIn.close();
await db().$disconnect();
process.exit(0);
