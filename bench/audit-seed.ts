/**
 * Seeds the audit benchmarks' database (BENCH_DATABASE_URL, default ncdd_audit_bench on localhost) with
 * 1,000,000 realistic hash-chained rows once; later runs reuse them. Shared by bench/audit.bench.ts and
 * bench/audit-checkpoint.bench.ts.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { GENESIS_HASH, hashEvent, type TChainedContent } from "../lib/audit/canonical-event";
import { resolveDatabaseUrls } from "../scripts/lib/database-urls";

export const TARGET_ROWS = 1_000_000;
const SEED_BATCH = 10_000;
const SPAN_MS = 180 * 86_400_000;
export const USERS = 2_000;
export const TASKS = 5_000;

// The services connect as the app role (audit table: SELECT, INSERT only), as in production; the seeder
// loads rows as the owner (it drops and rebuilds indexes around the bulk load).
export const benchDatabaseUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://ncdd_app@127.0.0.1:5432/ncdd_audit_bench";
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(benchDatabaseUrl).hostname)) {
  throw new Error("The benchmark only runs against a local database.");
}
const url = benchDatabaseUrl;

// Deterministic pseudo-random numbers, so every seeded database looks the same.
let state = 0x9e3779b9;
export function rand(): number {
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
export const user = (n: number) => `user-${String(n).padStart(4, "0")}`;

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
const OUTCOMES = [
  ["success", 85],
  ["failure", 10],
  ["refused", 4],
  ["pending", 1],
] as const;
const ERRORS = ["invalid_grant", "access_denied", "invalid_request", "temporarily_unavailable"] as const;
const MECHANISMS = ["offline-refresh", "token-exchange", "user-token", "basic-auth"] as const;

function fakeEvent(seq: bigint, at: Date, prevHash: string): TChainedContent {
  const subjectN = Math.floor(rand() * USERS);
  const action = weighted(ACTIONS);
  const outcome = action === "service-account.refused" ? "refused" : weighted(OUTCOMES);
  const actor = weighted([
    ["nextcloud-mcp-server", 60],
    ["delegation-dashboard", 20],
    [user(subjectN), 15],
    ["system", 5],
  ] as const);
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

/** Creates the database and both roles if needed and migrates it the product's way (scripts/migrate-database.ts). */
export async function prepareDatabase(): Promise<void> {
  execFileSync("npx", ["tsx", "scripts/migrate-database.ts", url], { env: process.env, stdio: ["ignore", "ignore", "inherit"] });
}

/** The owner's connection to the bench database (for seeding and EXPLAIN of the owner's view). */
export const benchOwnerUrl = resolveDatabaseUrls(url).owner;

const COLUMNS = `seq, "at", actor, "actorType", subject, "actChain", action, resource, outcome, "errorCode", "taskId", "correlationId", mechanism, details, "prevHash", hash`;
const TYPES = [
  "bigint",
  "timestamptz",
  "text",
  "text",
  "text",
  "jsonb",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "jsonb",
  "text",
  "text",
];

/** Tops the bench trail up to TARGET_ROWS chained rows (as the owner); a full trail is reused as it is. */
export async function seed(): Promise<void> {
  const client = new pg.Client({ connectionString: benchOwnerUrl });
  await client.connect();
  try {
    await load(client);
    await addPeople(client);
  } finally {
    await client.end();
  }
}

/** The username people type for user(n) (the trail holds the sub, user(n), never this name). */
export const username = (n: number) => `person-${String(n).padStart(4, "0")}`;

// Everyone in the trail has signed in once: the User table knows their username and display name.
async function addPeople(client: pg.Client): Promise<void> {
  await client.query(
    `INSERT INTO "User" ("sub", "username", "name")
     SELECT 'user-' || lpad(n::text, 4, '0'), 'person-' || lpad(n::text, 4, '0'), 'Person ' || n FROM generate_series(0, $1::int - 1) n
     ON CONFLICT ("sub") DO NOTHING`,
    [USERS],
  );
}

async function load(client: pg.Client): Promise<void> {
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
  // Same for the hourly rollup trigger: the rollups are rebuilt from the events once, after the load.
  await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_hourly_count"`);

  const t0 = Date.now();
  for (let done = 0; done < todo; done += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, todo - done);
    const cols: unknown[][] = TYPES.map(() => []);
    for (let i = 0; i < n; i += 1) {
      seq += 1n;
      const e = fakeEvent(seq, new Date(Math.floor(start + (done + i) * step)), prevHash);
      const hash = hashEvent(e);
      prevHash = hash;
      const values = [
        e.seq.toString(),
        (e.at as Date).toISOString(),
        e.actor,
        e.actorType,
        e.subject,
        null,
        e.action,
        e.resource,
        e.outcome,
        e.errorCode,
        e.taskId,
        e.correlationId,
        e.mechanism,
        JSON.stringify(e.details),
        e.prevHash,
        hash,
      ];
      values.forEach((v, c) => cols[c]!.push(v));
    }
    const params = TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ");
    await client.query(`INSERT INTO "AuditEvent" (${COLUMNS}) SELECT * FROM unnest(${params})`, cols);
    if ((done / SEED_BATCH) % 20 === 0)
      process.stdout.write(`  ${(done + n).toLocaleString()} rows, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  await client.query(`SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'seq'), $1)`, [seq.toString()]);
  console.log(`seed: rows in ${((Date.now() - t0) / 1000).toFixed(1)} s, rebuilding ${indexes.length} indexes`);
  const t1 = Date.now();
  await client.query("SET maintenance_work_mem = '512MB'");
  for (const ix of indexes) await client.query(ix.indexdef);
  await client.query(`TRUNCATE "AuditHourlyCount", "AuditHourlyTotal"`);
  await client.query(`INSERT INTO "AuditHourlyCount" ("hour", "subject", "action", "outcome", "n")
    SELECT date_trunc('hour', "at", 'UTC'), coalesce("subject", ''), "action", "outcome", count(*) FROM "AuditEvent" GROUP BY 1, 2, 3, 4`);
  await client.query(`INSERT INTO "AuditHourlyTotal" ("hour", "action", "outcome", "n")
    SELECT h, coalesce(a, '*'), coalesce(o, '*'), count(*)
    FROM (SELECT date_trunc('hour', "at", 'UTC') AS h, "action" AS a, "outcome" AS o FROM "AuditEvent") e
    GROUP BY GROUPING SETS ((h, a, o), (h, a), (h, o), (h))`);
  await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_hourly_count"`);
  // VACUUM also sets the visibility map, as autovacuum would by now on a live append-only table.
  await client.query(`VACUUM (ANALYZE) "AuditEvent"`);
  console.log(`seed: indexes rebuilt in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
}
