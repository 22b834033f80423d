/**
 * `npx tsx bench/audit-append.bench.ts` — what one audit append costs, next to the bare floor of the same
 * database: a one-row INSERT … RETURNING of the same columns on the same connection pool (no lock, no
 * chain). Prints p50/p95 of a single append (recordAuditEvent), appends/s of 8 concurrent writers each
 * waiting for its own row (the worker's grouped recorder, as a run's requests use it), and rows/s of a
 * 200-row batch. Prints figures only; asserts nothing. Own database: ncdd_bench_append (reset at start).
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { prepareBench } from "./lib/bench-setup";

await prepareBench("postgresql://ncdd_app@127.0.0.1:5432/ncdd_bench_append");
const root = fileURLToPath(new URL("..", import.meta.url));
process.env.DATABASE_ADMIN_URL ??= "postgresql://postgres@127.0.0.1:5432/postgres";
spawnSync(process.execPath, ["--import", "tsx", "scripts/reset-database.ts", process.env.DATABASE_URL!], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
});
const { default: migrate } = await import("../test/global-setup");
await migrate();
// The floor: a table shaped like the event table's written columns, with no trigger, lock or chain.
{
  const { default: pg } = await import("pg");
  const owner = new URL(process.env.DATABASE_URL!);
  owner.username = "postgres";
  const admin = new pg.Client({ connectionString: String(owner) });
  await admin.connect();
  await admin.query(`CREATE TABLE "BenchBareInsert" (seq bigserial PRIMARY KEY, "at" timestamptz(3) NOT NULL DEFAULT now(),
    actor text, "actorType" text, subject text, action text, resource text, outcome text, "correlationId" text, mechanism text, details jsonb)`);
  await admin.query(`GRANT SELECT, INSERT ON "BenchBareInsert" TO ncdd_app; GRANT USAGE ON SEQUENCE "BenchBareInsert_seq_seq" TO ncdd_app`);
  await admin.end();
}

const { db } = await import("../lib/db");
const { recordAuditEvent, recordAuditEvents } = await import("../lib/audit/record-event");
const { createGroupedAuditRecorder } = await import("../lib/jobs/grouped-audit-recorder");
const { verifyAuditChain } = await import("../lib/audit/verify-chain");

const SINGLES = Number(process.env.BENCH_APPENDS ?? 400);
const WRITERS = 8;
const event = (i: number) => ({
  actor: "nextcloud-mcp-server",
  actorType: "client" as const,
  subject: "bench-user",
  action: "nextcloud.request" as const,
  resource: `/remote.php/dav/files/bench/${i}`,
  outcome: "success" as const,
  correlationId: `bench-${i}`,
  mechanism: "offline-refresh" as const,
  details: { method: "PROPFIND", status: 207, ms: 12 },
});

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const fmt = (n: number) => n.toFixed(2).padStart(7);

async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

// Warm both paths (connections, plans).
await timeEach(20, (i) => recordAuditEvent(event(i)));
await timeEach(20, (i) => db().$queryRaw`SELECT 1 FROM (SELECT ${i}::int) x`);

// Interleaved in blocks, so load on the machine hits both alike.
const ours: number[] = [];
const bare: number[] = [];
for (let block = 0; block < SINGLES / 50; block += 1) {
  ours.push(...(await timeEach(50, (i) => recordAuditEvent(event(i)))));
  bare.push(
    ...(await timeEach(50, (i) => {
      const e = event(i);
      return db().$queryRaw`
        INSERT INTO "BenchBareInsert" (actor, "actorType", subject, action, resource, outcome, "correlationId", mechanism, details)
        VALUES (${e.actor}, ${e.actorType}, ${e.subject}, ${e.action}, ${e.resource}, ${e.outcome}, ${e.correlationId}, ${e.mechanism},
                ${JSON.stringify(e.details)}::jsonb)
        RETURNING seq`;
    })),
  );
}

const grouped = createGroupedAuditRecorder();
const perWriter = Math.round(SINGLES / WRITERS);
const t0 = performance.now();
await Promise.all(Array.from({ length: WRITERS }, (_, w) => timeEach(perWriter, (i) => grouped(event(w * 10_000 + i)))));
const groupedPerSecond = (WRITERS * perWriter) / ((performance.now() - t0) / 1000);

const t1 = performance.now();
await recordAuditEvents(Array.from({ length: 200 }, (_, i) => event(i)));
const batchRowsPerSecond = 200 / ((performance.now() - t1) / 1000);

const check = await verifyAuditChain({
  store: { description: "none", append: async () => {}, latest: async () => null, list: async () => [] },
  keys: [],
});

console.log(
  `audit append, ${new Date().toISOString()}, load ${loadavg()
    .map((n) => n.toFixed(1))
    .join(" / ")}`,
);
console.log(`  one append (recordAuditEvent)      p50 ${fmt(pct(ours, 50))} ms  p95 ${fmt(pct(ours, 95))} ms   (${ours.length} appends)`);
console.log(`  bare INSERT … RETURNING, same pool  p50 ${fmt(pct(bare, 50))} ms  p95 ${fmt(pct(bare, 95))} ms`);
console.log(`  ratio ours / bare (p50)             ${fmt(pct(ours, 50) / pct(bare, 50))} ×`);
console.log(`  ${WRITERS} writers, grouped recorder         ${fmt(groupedPerSecond)} appends/s, each awaited`);
console.log(`  one batch of 200 rows               ${fmt(batchRowsPerSecond)} rows/s`);
console.log(`  chain after the bench: ${check.ok ? "verifies" : `BROKEN: ${check.reason}`} (${check.rows} rows)`);
await db().$disconnect();
process.exit(0);
