/**
 * Audit trail benchmark: `npx tsx bench/audit.bench.ts` (optional `--verify` to also time a full chain
 * verification). Seeds 1,000,000 hash-chained rows into a local bench database once (reused after), then
 * prints first-page latency of filtered searches (p50/p95) and memory during a full CSV export. Prints
 * figures only; asserts nothing. Database: BENCH_DATABASE_URL, default ncdd_audit_bench on localhost.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { registerNodeEntry } from "../lib/audit/register-node-entry";
import { GENESIS_HASH, hashEvent, type TChainedContent } from "../lib/audit/canonical-event";
import { testEnv } from "../test/test-env";

const TARGET_ROWS = 1_000_000;
const SEED_BATCH = 10_000;
const QUERIES = 200;
const SPAN_MS = 180 * 86_400_000;
const USERS = 2_000;
const TASKS = 5_000;

const url = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ncdd_audit_bench";
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname)) {
  throw new Error("The benchmark only runs against a local database.");
}
// The services read the app's validated env; local test values fill everything but the database.
Object.assign(process.env, { ...testEnv(), ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" });
registerNodeEntry();

// Deterministic pseudo-random numbers, so every seeded database looks the same.
let state = 0x9e3779b9;
function rand(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4_294_967_296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
function weighted<T>(pairs: readonly (readonly [T, number])[]): T {
  let r = rand() * pairs.reduce((n, [, w]) => n + w, 0);
  for (const [v, w] of pairs) if ((r -= w) < 0) return v;
  return pairs[pairs.length - 1]![0];
}
const user = (n: number) => `user-${String(n).padStart(4, "0")}`;

const ACTIONS = [
  ["nextcloud.request", 50],
  ["token.refresh", 15],
  ["token.exchange", 10],
  ["task.run.started", 6],
  ["task.run.finished", 6],
  ["signin", 5],
  ["consent.granted", 2],
  ["revocation.requested", 2],
  ["revocation.confirmed", 2],
  ["audit.view", 1.5],
  ["service-account.refused", 0.4],
  ["audit.export", 0.1],
] as const;
const OUTCOMES = [["success", 85], ["failure", 10], ["refused", 4], ["pending", 1]] as const;
const ERRORS = ["invalid_grant", "access_denied", "invalid_request", "temporarily_unavailable"] as const;
const MECHANISMS = ["offline-refresh", "token-exchange", "user-token", "basic-auth"] as const;

function fakeEvent(seq: bigint, at: Date, prevHash: string): TChainedContent {
  const subjectN = Math.floor(rand() * USERS);
  const action = weighted(ACTIONS);
  const outcome = action === "service-account.refused" ? "refused" : weighted(OUTCOMES);
  const actor = weighted([["nextcloud-mcp-server", 60], ["delegation-dashboard", 20], [user(subjectN), 15], ["system", 5]] as const);
  const hasTask = action.startsWith("task.") || (action === "nextcloud.request" && rand() < 0.6);
  return {
    seq,
    at,
    actor,
    actorType: actor === "system" ? "system" : actor.startsWith("user-") ? "user" : "client",
    subject: rand() < 0.1 ? null : user(subjectN),
    actChain: null,
    action,
    resource: action === "nextcloud.request" ? `/remote.php/dav/files/${user(subjectN)}/Notes/note-${Math.floor(rand() * 500)}.md` : null,
    outcome,
    errorCode: outcome === "failure" ? pick(ERRORS) : null,
    taskId: hasTask ? `task-${Math.floor(rand() * TASKS)}` : null,
    correlationId: randomBytes(8).toString("hex"),
    mechanism: pick(MECHANISMS),
    details: { status: outcome === "success" ? 200 : 401, durationMs: Math.floor(rand() * 900), attempt: 1 + Math.floor(rand() * 3) },
    prevHash,
  };
}

async function prepareDatabase(): Promise<void> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const name = new URL(url).pathname.slice(1);
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
  await client.end();
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "inherit"] });
}

const COLUMNS = `seq, "at", actor, "actorType", subject, "actChain", action, resource, outcome, "errorCode", "taskId", "correlationId", mechanism, details, "prevHash", hash`;
const TYPES = ["bigint", "timestamptz", "text", "text", "text", "jsonb", "text", "text", "text", "text", "text", "text", "text", "jsonb", "text", "text"];

async function seed(client: pg.Client): Promise<void> {
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM "AuditEvent"`);
  const have = rows[0].n as number;
  if (have >= TARGET_ROWS) {
    console.log(`seed: reusing ${have.toLocaleString()} existing rows`);
    return;
  }
  const last = (await client.query(`SELECT seq, "at", hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`)).rows[0];
  let seq = last ? BigInt(last.seq) : 0n;
  let prevHash: string = last ? last.hash : GENESIS_HASH;
  const todo = TARGET_ROWS - have;
  const start = Math.max(last ? new Date(last.at).getTime() : 0, Date.now() - SPAN_MS);
  const step = (Date.now() - 60_000 - start) / todo;
  console.log(`seed: inserting ${todo.toLocaleString()} chained rows (indexes dropped during the load, rebuilt after)`);

  // Bulk-load technique: rebuilding secondary indexes once is far faster than maintaining them per row.
  const indexes = (
    await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'AuditEvent' AND indexname <> 'AuditEvent_pkey'`)
  ).rows as { indexname: string; indexdef: string }[];
  for (const ix of indexes) await client.query(`DROP INDEX "${ix.indexname}"`);

  const t0 = Date.now();
  for (let done = 0; done < todo; done += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, todo - done);
    const cols: unknown[][] = TYPES.map(() => []);
    for (let i = 0; i < n; i += 1) {
      seq += 1n;
      const e = fakeEvent(seq, new Date(Math.floor(start + (done + i) * step)), prevHash);
      const hash = hashEvent(e);
      prevHash = hash;
      const values = [e.seq.toString(), e.at.toISOString(), e.actor, e.actorType, e.subject, null, e.action, e.resource, e.outcome,
        e.errorCode, e.taskId, e.correlationId, e.mechanism, JSON.stringify(e.details), e.prevHash, hash];
      values.forEach((v, c) => cols[c]!.push(v));
    }
    const params = TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ");
    await client.query(`INSERT INTO "AuditEvent" (${COLUMNS}) SELECT * FROM unnest(${params})`, cols);
    if ((done / SEED_BATCH) % 20 === 0) process.stdout.write(`  ${(done + n).toLocaleString()} rows, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  await client.query(`SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'seq'), $1)`, [seq.toString()]);
  console.log(`seed: rows in ${((Date.now() - t0) / 1000).toFixed(1)} s, rebuilding ${indexes.length} indexes`);
  const t1 = Date.now();
  await client.query("SET maintenance_work_mem = '512MB'");
  for (const ix of indexes) await client.query(ix.indexdef);
  // VACUUM also sets the visibility map, as autovacuum would by now on a live append-only table.
  await client.query(`VACUUM (ANALYZE) "AuditEvent"`);
  console.log(`seed: indexes rebuilt in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  await prepareDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await seed(client);
  const { rows: sizeRows } = await client.query(
    `SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('"AuditEvent"')) AS size, max("at") AS newest FROM "AuditEvent"`,
  );
  const newest = new Date(sizeRows[0].newest).getTime();
  console.log(`table: ${sizeRows[0].n.toLocaleString()} rows, ${sizeRows[0].size} with indexes`);
  await client.end();

  const { searchAuditEvents } = await import("../lib/services/audit/search-audit-events");
  const { countAuditEventsOverTime } = await import("../lib/services/audit/count-audit-events-over-time");
  const { exportAuditEvents } = await import("../lib/services/audit/export-audit-events");
  const { verifyAuditChain } = await import("../lib/audit/verify-chain");
  const { db } = await import("../lib/db");

  const adminCtx = { userSub: "bench-admin", username: "bench-admin", isAdmin: true, correlationId: "bench" };
  const userCtx = (n: number) => ({ userSub: user(n), username: user(n), isAdmin: false, correlationId: "bench" });
  const day = (back: number) => {
    const to = new Date(newest - back * 86_400_000);
    return { from: new Date(to.getTime() - 86_400_000).toISOString(), to: to.toISOString() };
  };
  const u = () => Math.floor(rand() * USERS);
  const kinds: [string, () => Promise<unknown>][] = [
    ["admin: no filter", () => searchAuditEvents(adminCtx, {})],
    ["admin: subject", () => searchAuditEvents(adminCtx, { subject: user(u()) })],
    ["admin: actor + action", () => searchAuditEvents(adminCtx, { actor: "nextcloud-mcp-server", action: "token.exchange" })],
    ["admin: outcome=pending", () => searchAuditEvents(adminCtx, { outcome: "pending" })],
    ["admin: rare action", () => searchAuditEvents(adminCtx, { action: "service-account.refused" })],
    ["admin: taskId", () => searchAuditEvents(adminCtx, { taskId: `task-${Math.floor(rand() * TASKS)}` })],
    ["admin: 1-day range, old", () => searchAuditEvents(adminCtx, day(30 + Math.floor(rand() * 140)))],
    ["admin: range + subject", () => searchAuditEvents(adminCtx, { ...day(10 + Math.floor(rand() * 30)), subject: user(u()) })],
    ["admin: range + failure", () => searchAuditEvents(adminCtx, { ...day(50 + Math.floor(rand() * 100)), outcome: "failure" })],
    ["admin: text user name", () => searchAuditEvents(adminCtx, { q: user(u()) })],
    ["admin: text error code", () => searchAuditEvents(adminCtx, { q: "temporarily_unavail" })],
    ["admin: text no match", () => searchAuditEvents(adminCtx, { q: `zz-${randomBytes(3).toString("hex")}` })],
    ["admin: text + outcome", () => searchAuditEvents(adminCtx, { q: "note-42", outcome: "refused" })],
    ["user: own feed", () => searchAuditEvents(userCtx(u()), {})],
    ["user: own feed + action", () => searchAuditEvents(userCtx(u()), { action: "token.refresh" })],
    ["user: own feed + text", () => searchAuditEvents(userCtx(u()), { q: "note-1" })],
  ];

  for (const [, fn] of kinds) await fn();
  const all: number[] = [];
  const byKind = new Map<string, number[]>();
  for (let i = 0; i < QUERIES; i += 1) {
    const [name, fn] = kinds[i % kinds.length]!;
    const t = performance.now();
    await fn();
    const ms = performance.now() - t;
    all.push(ms);
    byKind.set(name, [...(byKind.get(name) ?? []), ms]);
  }
  all.sort((a, b) => a - b);
  console.log(`\nfirst filtered page (limit 50), ${QUERIES} queries over ${kinds.length} filter kinds, via searchAuditEvents:`);
  console.log(`  ALL  p50 ${percentile(all, 50).toFixed(1)} ms  p95 ${percentile(all, 95).toFixed(1)} ms  max ${all[all.length - 1]!.toFixed(1)} ms`);
  for (const [name, list] of byKind) {
    const s = [...list].sort((a, b) => a - b);
    console.log(`  ${name.padEnd(26)} p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms  max ${s[s.length - 1]!.toFixed(1).padStart(7)} ms`);
  }

  for (const [label, input] of [
    ["chart: admin, 90 days daily", { bucket: "day" as const, from: new Date(newest - 90 * 86_400_000).toISOString(), to: new Date(newest).toISOString() }],
    ["chart: user, 90 days daily", { bucket: "day" as const, from: new Date(newest - 90 * 86_400_000).toISOString(), to: new Date(newest).toISOString() }],
    ["chart: admin, 48 h hourly", { bucket: "hour" as const, from: new Date(newest - 48 * 3_600_000).toISOString(), to: new Date(newest).toISOString() }],
  ] as const) {
    const ctx = label.includes("user") ? userCtx(7) : adminCtx;
    const t = performance.now();
    const res = await countAuditEventsOverTime(ctx, input);
    console.log(`  ${label.padEnd(30)} ${(performance.now() - t).toFixed(1)} ms (${res.buckets.length} buckets)`);
  }

  // Memory during full CSV exports of a small and a large filtered set: if memory is flat, the peak
  // growth is about the same for both, and the heap at each 100k-row checkpoint does not climb.
  const mb = (n: number) => (n / 1_048_576).toFixed(1);
  const from120 = new Date(newest - 120 * 86_400_000).toISOString();
  for (const [label, filter] of [
    ["outcome=failure, last 120 days", { outcome: "failure" as const, from: from120 }],
    ["outcome=success, last 120 days", { outcome: "success" as const, from: from120 }],
  ] as const) {
    global.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 25);
    const checkpoints: string[] = [];
    const t0 = performance.now();
    const exp = await exportAuditEvents(adminCtx, { format: "csv", ...filter });
    let bytes = 0;
    let lines = 0;
    let nextMark = 100_000;
    for await (const chunk of exp.stream as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      for (let i = 0; i < chunk.length; i += 1) if (chunk[i] === 10) lines += 1;
      if (lines >= nextMark) {
        checkpoints.push(`${nextMark / 1000}k:${mb(process.memoryUsage().heapUsed)}`);
        nextMark += 100_000;
      }
    }
    const secs = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    console.log(`\nCSV export (${label}):`);
    console.log(`  ${(lines - 1).toLocaleString()} rows, ${mb(bytes)} MB in ${secs.toFixed(1)} s = ${mb(bytes / secs)} MB/s`);
    console.log(`  RSS  before ${mb(base.rss)} MB, peak ${mb(peakRss)} MB, delta ${mb(peakRss - base.rss)} MB`);
    console.log(`  heap before ${mb(base.heapUsed)} MB, peak ${mb(peakHeap)} MB, delta ${mb(peakHeap - base.heapUsed)} MB`);
    if (checkpoints.length) console.log(`  heap MB at rows: ${checkpoints.join("  ")}`);
  }

  if (process.argv.includes("--verify")) {
    const t = performance.now();
    const result = await verifyAuditChain({ batchSize: 5_000 });
    console.log(`\nverifyAuditChain: ${JSON.stringify(result)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await db().$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
