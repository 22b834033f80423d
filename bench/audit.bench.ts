/**
 * Audit trail benchmark: `npx tsx bench/audit.bench.ts` (`--verify` also times a full chain verification).
 * Seeds 1,000,000 hash-chained rows into a local bench database once (reused after), then prints:
 *   - every filter shape the admin page and the user feed offer, through the services (p50/p95), next to
 *     the database's own time for the same queries (the ratio is what our code adds)
 *   - the chart (hourly rollups, and filters the rollup does not keep)
 *   - EXPLAIN (ANALYZE, BUFFERS) of EVERY query the services ran for each shape (captured at the driver),
 *     with any sequential scan of the event table flagged
 *   - word search on trigrams vs a tsvector over the same text (why the product uses trigrams)
 *   - export: bare `COPY … TO STDOUT` of the same rows vs our CSV and NDJSON export, interleaved, as a ratio,
 *     with memory growth
 * Prints figures only; asserts nothing. Database: BENCH_DATABASE_URL (default ncdd_audit_bench on localhost,
 * as the app role; seeding runs as the owner). The machine's load average is printed with the figures.
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import type { Readable } from "node:stream";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { ensureServerCondition } from "../scripts/lib/ensure-server-condition";
import { checkpointDirFor, testEnv } from "../test/test-env";
import { benchDatabaseUrl, benchOwnerUrl, prepareDatabase, rand, seed, TASKS, user, username, USERS } from "./audit-seed";

const RUNS_PER_KIND = 25;
const url = benchDatabaseUrl;
// The services read the app's validated env; local test values fill everything but the database.
Object.assign(process.env, {
  ...testEnv(),
  ...process.env,
  DATABASE_URL: url,
  AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR ?? checkpointDirFor(url),
  LOG_LEVEL: "warn",
});
ensureServerCondition();

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (n: number) => n.toFixed(1).padStart(6);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(" / ");

// Every query the services send, captured at the driver (the ORM and the audit pool both use pg), so the
// EXPLAIN below covers exactly what ran: no hand-copied SQL that drifts from the code.
type TCaptured = { text: string; values: unknown[] };
let capturing: TCaptured[] | null = null;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, config: unknown, values?: unknown, cb?: unknown) {
  if (capturing) {
    const c = config as { text?: string; values?: unknown[] } | string;
    const text = typeof c === "string" ? c : c?.text;
    const vals = typeof c === "string" ? (Array.isArray(values) ? values : []) : (c?.values ?? []);
    // audit_append() is a SELECT that writes: EXPLAIN ANALYZE would append the rows a second time.
    if (typeof text === "string" && /^\s*(SELECT|WITH)\b/i.test(text) && !text.includes("audit_append("))
      capturing.push({ text, values: vals });
    // A COPY stream (pg-copy-streams) is a submittable with its statement as `text`.
    const submittable = c as { submit?: unknown; text?: unknown } | null;
    if (
      submittable &&
      typeof submittable === "object" &&
      typeof submittable.submit === "function" &&
      typeof submittable.text === "string" &&
      /^\s*COPY\b/.test(submittable.text)
    ) {
      capturing.push({ text: submittable.text, values: [] });
    }
  }
  return (originalQuery as (...a: unknown[]) => unknown).call(this, config, values, cb);
} as typeof pg.Client.prototype.query;

// A query that bypasses the capture (the bench's own EXPLAINs and counts).
const rawQuery = (c: pg.Client, text: string, values: unknown[]) =>
  (originalQuery as unknown as (this: pg.Client, t: string, v: unknown[]) => Promise<pg.QueryResult>).call(c, text, values);

type TPlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: TPlanNode[] };
function planNodes(n: TPlanNode, out: string[] = []): string[] {
  out.push(
    n["Index Name"]
      ? `${n["Node Type"].replace(/ Scan$/, "")}(${n["Index Name"]})`
      : n["Relation Name"]
        ? `${n["Node Type"]} on ${n["Relation Name"]}`
        : n["Node Type"],
  );
  for (const c of n.Plans ?? []) planNodes(c, out);
  return out;
}

async function explain(
  client: pg.Client,
  q: TCaptured,
): Promise<{ ms: number; nodes: string[]; hit: number; read: number; seqScan: boolean }> {
  const copy = /^\s*COPY \((.*)\) TO STDOUT/s.exec(q.text);
  const sql = copy ? copy[1]! : q.text;
  const { rows } = await rawQuery(client, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, q.values);
  const plan = rows[0]["QUERY PLAN"][0];
  const nodes = planNodes(plan.Plan);
  return {
    ms: plan["Execution Time"],
    nodes,
    hit: plan.Plan["Shared Hit Blocks"],
    read: plan.Plan["Shared Read Blocks"],
    seqScan: nodes.includes("Seq Scan on AuditEvent"),
  };
}

async function drainCopy(client: pg.Client, sql: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of client.query(copyTo(sql)) as Readable) bytes += (chunk as Buffer).length;
  return bytes;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return { bytes, lines };
}

async function main(): Promise<void> {
  await prepareDatabase();
  await seed();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows: sizeRows } = await client.query(
    `SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('"AuditEvent"')) AS size, max("at") AS newest FROM "AuditEvent"`,
  );
  const newest = new Date(sizeRows[0].newest).getTime();
  console.log(`table: ${sizeRows[0].n.toLocaleString()} rows, ${sizeRows[0].size} with indexes; load average ${load()} (1/5/15 min)`);

  const { searchAuditEvents } = await import("../lib/services/audit/search-audit-events");
  const { countAuditEventsOverTime } = await import("../lib/services/audit/count-audit-events-over-time");
  const { exportAuditEvents } = await import("../lib/services/audit/export-audit-events");
  const { listMyRequests } = await import("../lib/services/tasks/list-my-requests");
  const { verifyAuditChain } = await import("../lib/audit/verify-chain");
  const { getAuditTrustStatus } = await import("../lib/services/audit/get-audit-trust-status");
  const { writeAuditCheckpoint } = await import("../lib/audit/write-checkpoint");
  const { signAuditCheckpoint } = await import("../lib/services/audit/sign-audit-checkpoint");
  const { verifyAuditWitness } = await import("../lib/services/audit/verify-audit-witness");
  const { closeAuditPool } = await import("../lib/audit/audit-pool");
  const { db } = await import("../lib/db");

  const adminCtx = { userSub: "bench-admin", username: "bench-admin", isAdmin: true, correlationId: "bench" };
  const userCtx = (n: number) => ({ userSub: user(n), username: username(n), isAdmin: false, correlationId: "bench" });
  const day = (back: number) => {
    const to = new Date(newest - back * 86_400_000);
    return { from: new Date(to.getTime() - 86_400_000).toISOString(), to: to.toISOString() };
  };
  const u = () => Math.floor(rand() * USERS);
  const { rows: corrRows } = await client.query<{ c: string }>(
    `SELECT "correlationId" AS c FROM "AuditEvent" WHERE seq % 997 = 0 LIMIT 200`,
  );
  const corr = () => corrRows[Math.floor(rand() * corrRows.length)]!.c;
  const deep = (await searchAuditEvents(adminCtx, { action: "token.refresh", limit: 200 })).nextCursor!;
  const since = (days: number) => new Date(newest - days * 86_400_000).toISOString();
  const to = new Date(newest).toISOString();

  const pageKinds: [string, () => Promise<unknown>][] = [
    ["admin: no filter", () => searchAuditEvents(adminCtx, {})],
    ["admin: subject (sub)", () => searchAuditEvents(adminCtx, { subject: user(u()) })],
    ["admin: subject (username)", () => searchAuditEvents(adminCtx, { subject: username(u()) })],
    ["admin: actor (client) + action", () => searchAuditEvents(adminCtx, { actor: "nextcloud-mcp-server", action: "token.exchange" })],
    ["admin: actor (username)", () => searchAuditEvents(adminCtx, { actor: username(u()) })],
    ["admin: action, common", () => searchAuditEvents(adminCtx, { action: "token.refresh" })],
    ["admin: action, rare", () => searchAuditEvents(adminCtx, { action: "service-account.refused" })],
    ["admin: outcome=pending", () => searchAuditEvents(adminCtx, { outcome: "pending" })],
    ["admin: taskId", () => searchAuditEvents(adminCtx, { taskId: `task-${Math.floor(rand() * TASKS)}` })],
    ["admin: correlationId", () => searchAuditEvents(adminCtx, { correlationId: corr() })],
    ["admin: 1-day range, old", () => searchAuditEvents(adminCtx, day(30 + Math.floor(rand() * 140)))],
    ["admin: range + subject", () => searchAuditEvents(adminCtx, { ...day(10 + Math.floor(rand() * 30)), subject: user(u()) })],
    ["admin: range + failure", () => searchAuditEvents(adminCtx, { ...day(50 + Math.floor(rand() * 100)), outcome: "failure" })],
    [
      "admin: subject+action+outcome",
      () => searchAuditEvents(adminCtx, { subject: user(u()), action: "nextcloud.request", outcome: "failure" }),
    ],
    ["admin: deep page (cursor)", () => searchAuditEvents(adminCtx, { action: "token.refresh", cursor: deep })],
    ["admin: text, person name", () => searchAuditEvents(adminCtx, { q: username(u()) })],
    ["admin: text, display name", () => searchAuditEvents(adminCtx, { q: `Person ${u()}` })],
    ["admin: text, sub", () => searchAuditEvents(adminCtx, { q: user(u()) })],
    ["admin: text, error fragment", () => searchAuditEvents(adminCtx, { q: "temporarily_unavail" })],
    ["admin: text, path fragment", () => searchAuditEvents(adminCtx, { q: `Notes/note-${Math.floor(rand() * 500)}.` })],
    ["admin: text, id fragment", () => searchAuditEvents(adminCtx, { q: corr().slice(2, 12) })],
    ["admin: text, no match", () => searchAuditEvents(adminCtx, { q: `zz-${randomBytes(3).toString("hex")}` })],
    ["admin: text + outcome", () => searchAuditEvents(adminCtx, { q: "note-42", outcome: "refused" })],
    ["admin: text + subject", () => searchAuditEvents(adminCtx, { q: "note-4", subject: user(u()) })],
    ["admin: text + range", () => searchAuditEvents(adminCtx, { q: "invalid_grant", ...day(20 + Math.floor(rand() * 100)) })],
    ["user: own feed", () => searchAuditEvents(userCtx(u()), {})],
    ["user: own feed + action", () => searchAuditEvents(userCtx(u()), { action: "token.refresh" })],
    ["user: own feed + outcome", () => searchAuditEvents(userCtx(u()), { outcome: "failure" })],
    ["user: own feed + text", () => searchAuditEvents(userCtx(u()), { q: "note-1" })],
    ["user: own feed + range", () => searchAuditEvents(userCtx(u()), day(Math.floor(rand() * 60)))],
    ["user: requests (listMyRequests)", () => listMyRequests(userCtx(u()))],
  ];
  const chartKinds: [string, () => Promise<unknown>][] = [
    ["chart: admin, 90 days daily", () => countAuditEventsOverTime(adminCtx, { bucket: "day", from: since(90), to })],
    [
      "chart: admin, 90 d + action",
      () => countAuditEventsOverTime(adminCtx, { bucket: "day", from: since(90), to, action: "token.refresh" }),
    ],
    ["chart: admin, 90 d + outcome", () => countAuditEventsOverTime(adminCtx, { bucket: "day", from: since(90), to, outcome: "failure" })],
    [
      "chart: admin, 90 d + subject",
      () => countAuditEventsOverTime(adminCtx, { bucket: "day", from: since(90), to, subject: username(u()) }),
    ],
    ["chart: user, 90 days daily", () => countAuditEventsOverTime(userCtx(u()), { bucket: "day", from: since(90), to })],
    [
      "chart: admin, 48 h hourly",
      () => countAuditEventsOverTime(adminCtx, { bucket: "hour", from: new Date(newest - 48 * 3_600_000).toISOString(), to }),
    ],
    [
      "chart: admin, 7 d + taskId (events)",
      () => countAuditEventsOverTime(adminCtx, { bucket: "hour", from: since(7), to, taskId: `task-${Math.floor(rand() * TASKS)}` }),
    ],
    [
      "chart: admin, 90 d + actor (events)",
      () => countAuditEventsOverTime(adminCtx, { bucket: "day", from: since(90), to, actor: username(u()) }),
    ],
    [
      "chart: admin, 48 h + text (events)",
      () =>
        countAuditEventsOverTime(adminCtx, {
          bucket: "hour",
          from: new Date(newest - 48 * 3_600_000).toISOString(),
          to,
          q: "invalid_grant",
        }),
    ],
    [
      "chart: admin, 90 d + text (events)",
      () => countAuditEventsOverTime(adminCtx, { bucket: "day", from: since(90), to, q: "invalid_grant" }),
    ],
  ];

  const explainer = new pg.Client({ connectionString: url });
  await explainer.connect();
  const report = async (title: string, kinds: [string, () => Promise<unknown>][]) => {
    console.log(
      `\n${title} (${RUNS_PER_KIND} runs per kind, interleaved; "db" = the EXPLAIN ANALYZE time of the kind's queries, ratio = service p50 / db):`,
    );
    const times = new Map<string, number[]>(kinds.map(([k]) => [k, []]));
    const queries = new Map<string, TCaptured[]>();
    for (const [name, fn] of kinds) {
      capturing = [];
      await fn();
      queries.set(name, capturing);
      capturing = null;
    }
    for (let i = 0; i < RUNS_PER_KIND; i += 1) {
      for (const [name, fn] of kinds) {
        const t = performance.now();
        await fn();
        times.get(name)!.push(performance.now() - t);
      }
    }
    const p95s: number[] = [];
    for (const [name] of kinds) {
      const s = times.get(name)!.sort((a, b) => a - b);
      const plans = await Promise.all(queries.get(name)!.map((q) => explain(explainer, q)));
      const dbMs = plans.reduce((n, p) => n + p.ms, 0);
      p95s.push(pct(s, 95));
      const flag = plans.some((p) => p.seqScan) ? "  ** SEQ SCAN of AuditEvent **" : "";
      console.log(
        `  ${name.padEnd(36)} p50 ${ms(pct(s, 50))} ms  p95 ${ms(pct(s, 95))} ms  max ${ms(s[s.length - 1]!)} ms | db ${ms(dbMs)} ms in ${plans.length} queries, ratio ${(pct(s, 50) / Math.max(dbMs, 0.01)).toFixed(1)}x${flag}`,
      );
      for (const [i, p] of plans.entries()) {
        const sql = queries.get(name)![i]!.text.replace(/\s+/g, " ").slice(0, 70);
        console.log(
          `      EXPLAIN ${p.ms.toFixed(2).padStart(7)} ms hit ${String(p.hit).padStart(5)} read ${String(p.read).padStart(4)}${p.seqScan ? " SEQ" : ""}  ${p.nodes.slice(0, 4).join(" > ")}  [${sql}…]`,
        );
      }
    }
    console.log(`  => worst p95 ${Math.max(...p95s).toFixed(1)} ms over ${kinds.length} kinds; load average now ${load()}`);
  };
  await report("first page of each filter shape (admin page, limit 25; user feed)", pageKinds);
  await report("chart", chartKinds);
  // The integrity panel verifies incrementally from the newest checkpoint (the first one walks everything).
  const signed = await writeAuditCheckpoint();
  console.log(`\ncheckpoint for the integrity panel: ${signed.status} (${signed.ms} ms)`);
  await report("integrity panel", [["admin: trust status (incremental)", () => getAuditTrustStatus(adminCtx)]]);

  // Admin actions that are not page loads, once each: their time, and EXPLAIN of every query they ran.
  const saved = await exportAuditEvents(adminCtx, { format: "json", correlationId: corrRows[0]!.c });
  let savedText = "";
  const decoder = new TextDecoder();
  for await (const chunk of saved.stream as unknown as AsyncIterable<Uint8Array>) savedText += decoder.decode(chunk, { stream: true });
  console.log(`
admin actions, once each:`);
  for (const [name, fn] of [
    ["sign a checkpoint now", () => signAuditCheckpoint(adminCtx)],
    ["verify a saved export (full walk)", () => verifyAuditWitness(adminCtx, { text: savedText })],
  ] as [string, () => Promise<unknown>][]) {
    capturing = [];
    const t = performance.now();
    await fn();
    const took = performance.now() - t;
    const ran = capturing;
    capturing = null;
    console.log(`  ${name.padEnd(36)} ${ms(took)} ms, ${ran.length} queries`);
    for (const q of ran) {
      const p = await explain(explainer, q);
      console.log(
        `      EXPLAIN ${p.ms.toFixed(2).padStart(8)} ms${p.seqScan ? " SEQ" : ""}  ${p.nodes.slice(0, 4).join(" > ")}  [${q.text.replace(/\s+/g, " ").slice(0, 60)}…]`,
      );
    }
  }

  // Word search, measured both ways on the same haystack: trigram substring match (what the product uses)
  // and a tsvector word match through a bench-only GIN index (made once as the owner, kept for later runs).
  const owner = new pg.Client({ connectionString: benchOwnerUrl });
  await owner.connect();
  const HAYSTACK = `("action" || ' ' || coalesce("resource", '') || ' ' || "actor" || ' ' || coalesce("subject", '') || ' ' || coalesce("errorCode", '') || ' ' || coalesce("details"::text, ''))`;
  const t0 = performance.now();
  await owner.query(`SET maintenance_work_mem = '256MB'`);
  await owner.query(`CREATE INDEX IF NOT EXISTS "bench_only_tsvector_idx" ON "AuditEvent" USING GIN (to_tsvector('simple', ${HAYSTACK}))`);
  const built = performance.now() - t0;
  await owner.end();
  console.log(
    `\nword search: trigram ILIKE (product) vs tsvector @@ (bench-only index${built > 1000 ? `, built now in ${(built / 1000).toFixed(0)} s` : ""}), newest 26 rows, EXPLAIN ANALYZE:`,
  );
  for (const term of [
    "temporarily_unavailable",
    "temporarily_unavail",
    "invalid_grant",
    "note-42",
    "Notes/note-42.md",
    user(7),
    corrRows[0]!.c,
    corrRows[0]!.c.slice(2, 12),
  ]) {
    const trgm = await explain(explainer, {
      text: `SELECT seq FROM "AuditEvent" WHERE ${HAYSTACK} ILIKE $1 ORDER BY seq DESC LIMIT 26`,
      values: [`%${term}%`],
    });
    const tsv = await explain(explainer, {
      text: `SELECT seq FROM "AuditEvent" WHERE to_tsvector('simple', ${HAYSTACK}) @@ plainto_tsquery('simple', $1) ORDER BY seq DESC LIMIT 26`,
      values: [term],
    });
    const [a, b] = await Promise.all([
      rawQuery(explainer, `SELECT count(*)::int AS n FROM (SELECT 1 FROM "AuditEvent" WHERE ${HAYSTACK} ILIKE $1 LIMIT 100000) x`, [
        `%${term}%`,
      ]),
      rawQuery(
        explainer,
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM "AuditEvent" WHERE to_tsvector('simple', ${HAYSTACK}) @@ plainto_tsquery('simple', $1) LIMIT 100000) x`,
        [term],
      ),
    ]);
    console.log(
      `  ${JSON.stringify(term).padEnd(26)} trigram ${ms(trgm.ms)} ms (${String(a.rows[0].n).padStart(6)} rows match)   tsvector ${ms(tsv.ms)} ms (${String(b.rows[0].n).padStart(6)} rows match)`,
    );
  }

  // Export: the same rows as bare COPY and as our export (CSV, NDJSON), in turn, twice; rows/s and the ratio.
  const mb = (n: number) => (n / 1_048_576).toFixed(1);
  for (const [label, filter, bareWhere] of [
    [
      "outcome=failure, last 120 days",
      { outcome: "failure" as const, from: since(120) },
      `outcome = 'failure' AND "at" >= '${since(120)}'`,
    ],
    [
      "outcome=success, last 120 days",
      { outcome: "success" as const, from: since(120) },
      `outcome = 'success' AND "at" >= '${since(120)}'`,
    ],
  ] as const) {
    console.log(`\nexport (${label}), bare COPY vs ours, in turn:`);
    const rate: Record<string, number[]> = { bare: [], csv: [], ndjson: [] };
    let rows = 0;
    for (let round = 0; round < 2; round += 1) {
      let t = performance.now();
      const bytes = await drainCopy(client, `COPY (SELECT * FROM "AuditEvent" WHERE ${bareWhere} ORDER BY seq DESC) TO STDOUT`);
      const bareS = (performance.now() - t) / 1000;
      if (!rows) rows = (await client.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE ${bareWhere}`)).rows[0].n;
      rate.bare!.push(rows / bareS);
      console.log(
        `  bare COPY     ${rows.toLocaleString()} rows, ${mb(bytes)} MB in ${bareS.toFixed(2)} s = ${Math.round(rows / bareS).toLocaleString()} rows/s`,
      );
      for (const format of ["csv", "json"] as const) {
        global.gc?.();
        const base = process.memoryUsage().rss;
        let peak = base;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
        t = performance.now();
        capturing = round === 0 ? [] : null;
        const exp = await exportAuditEvents(adminCtx, { format, ...filter });
        const out = await readAll(exp.stream);
        const s = (performance.now() - t) / 1000;
        clearInterval(sampler);
        const ran = capturing ?? [];
        capturing = null;
        const n = out.lines - (format === "csv" ? 2 : 1);
        const key = format === "csv" ? "csv" : "ndjson";
        rate[key]!.push(n / s);
        console.log(
          `  ours ${key.padEnd(8)} ${n.toLocaleString()} rows, ${mb(out.bytes)} MB in ${s.toFixed(2)} s = ${Math.round(n / s).toLocaleString()} rows/s, RSS growth ${mb(peak - base)} MB (peak ${mb(peak)} MB)`,
        );
        for (const q of ran.filter((q) => q.text.startsWith("COPY") || !q.text.includes("pg_advisory"))) {
          const p = await explain(explainer, q);
          console.log(
            `      EXPLAIN ${p.ms.toFixed(1).padStart(7)} ms${p.seqScan ? " SEQ" : ""}  ${p.nodes.slice(0, 4).join(" > ")}  [${q.text.replace(/\s+/g, " ").slice(0, 60)}…]`,
          );
        }
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `  => ratio ours/bare rows/s: CSV ${(med(rate.csv!) / med(rate.bare!)).toFixed(2)}, NDJSON ${(med(rate.ndjson!) / med(rate.bare!)).toFixed(2)}; load average now ${load()}`,
    );
  }

  if (process.argv.includes("--verify")) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const result = await verifyAuditChain({ mode: "full" });
    const c = process.cpuUsage(cpu);
    console.log(
      `\nverifyAuditChain (full): ok ${result.ok}, ${result.rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s wall, ${((c.user + c.system) / 1e6).toFixed(1)} s CPU in this process; load ${load()}`,
    );
  }
  await explainer.end();
  await client.end();
  await closeAuditPool();
  await db().$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
