/**
 * Audit trail benchmark: `npx tsx bench/audit.bench.ts` (optional `--verify` to also time a full chain
 * verification). Seeds 1,000,000 hash-chained rows into a local bench database once (reused after), then
 * prints first-page latency of filtered searches (p50/p95) and memory during a full CSV export. Prints
 * figures only; asserts nothing. Database: BENCH_DATABASE_URL, default ncdd_audit_bench on localhost.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureServerCondition } from "../scripts/lib/ensure-server-condition";
import { checkpointDirFor, testEnv } from "../test/test-env";
import { benchDatabaseUrl, prepareDatabase, rand, seed, TASKS, user, USERS } from "./audit-seed";

const QUERIES = 200;
const url = benchDatabaseUrl;
// The services read the app's validated env; local test values fill everything but the database.
Object.assign(process.env, { ...testEnv(), ...process.env, DATABASE_URL: url, AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR ?? checkpointDirFor(url), LOG_LEVEL: "warn" });
ensureServerCondition();

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
    console.log(`  ${name.padEnd(26)} p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(s, 95).toFixed(1).padStart(7)} ms  max ${s[s.length - 1]!.toFixed(1).padStart(7)} ms`);
  }

  for (const [label, input] of [
    ["chart: admin, 90 days daily", { bucket: "day" as const, from: new Date(newest - 90 * 86_400_000).toISOString(), to: new Date(newest).toISOString() }],
    ["chart: user, 90 days daily", { bucket: "day" as const, from: new Date(newest - 90 * 86_400_000).toISOString(), to: new Date(newest).toISOString() }],
    ["chart: admin, 48 h hourly", { bucket: "hour" as const, from: new Date(newest - 48 * 3_600_000).toISOString(), to: new Date(newest).toISOString() }],
  ] as const) {
    const ctx = label.includes("user") ? userCtx(7) : adminCtx;
    const times: number[] = [];
    let buckets = 0;
    for (let i = 0; i < 20; i += 1) {
      const t = performance.now();
      buckets = (await countAuditEventsOverTime(ctx, input)).buckets.length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${label.padEnd(30)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms (${buckets} buckets, 20 runs)`);
  }

  // EXPLAIN (ANALYZE, BUFFERS) of the query shapes the services run, so a regression to a sequential scan
  // of the event table shows here. The bare rollup read is the reference for the chart.
  const explain = new pg.Client({ connectionString: url });
  await explain.connect();
  const since90 = new Date(newest - 90 * 86_400_000);
  for (const [label, sql, params] of [
    ["chart rollup, admin 90 days", `SELECT date_trunc('day', "hour", 'UTC'), sum(n) FROM "AuditHourlyTotal" WHERE "hour" >= $1 AND action = '*' AND outcome = '*' GROUP BY 1`, [since90]],
    ["chart rollup, user 90 days", `SELECT date_trunc('day', "hour", 'UTC'), sum(n) FROM "AuditHourlyCount" WHERE "subject" = $2 AND "hour" >= $1 GROUP BY 1`, [since90, user(7)]],
    ["page: subject", `SELECT seq FROM "AuditEvent" WHERE subject = $1 ORDER BY seq DESC LIMIT 51`, [user(7)]],
    ["page: action + actor", `SELECT seq FROM "AuditEvent" WHERE action = $1 AND actor = $2 ORDER BY seq DESC LIMIT 51`, ["token.exchange", "nextcloud-mcp-server"]],
    ["page: text (trigram)", `SELECT seq FROM "AuditEvent" WHERE ("action" || ' ' || coalesce("resource", '') || ' ' || "actor" || ' ' || coalesce("subject", '') || ' ' || coalesce("errorCode", '') || ' ' || coalesce("details"::text, '')) ILIKE $1 ORDER BY seq DESC LIMIT 51`, ["%temporarily_unavail%"]],
  ] as const) {
    const { rows } = await explain.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params as unknown as unknown[]);
    const plan = rows[0]["QUERY PLAN"][0];
    const nodes: string[] = [];
    const walk = (n: { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: unknown[] }) => {
      nodes.push(n["Index Name"] ?? (n["Relation Name"] ? `${n["Node Type"]} on ${n["Relation Name"]}` : n["Node Type"]));
      for (const c of (n.Plans ?? []) as (typeof n)[]) walk(c);
    };
    walk(plan.Plan);
    const seq = nodes.some((n) => n === "Seq Scan on AuditEvent");
    console.log(`  EXPLAIN ${label.padEnd(28)} ${plan["Execution Time"].toFixed(1)} ms, buffers hit ${plan.Plan["Shared Hit Blocks"]} read ${plan.Plan["Shared Read Blocks"]}${seq ? "  ** SEQ SCAN of AuditEvent **" : ""}: ${nodes.join(" > ")}`);
  }
  await explain.end();

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
