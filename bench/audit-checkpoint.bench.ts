/**
 * Audit checkpoint benchmark: `npx tsx bench/audit-checkpoint.bench.ts`. Over the 1,000,000-row bench
 * trail (seeded once by bench/audit-seed.ts, reused after) it prints:
 *   - checkpoint cost: Ed25519 sign, file-store append (fsync), and a whole checkpoint run after 100
 *     new rows (check the previous head, walk the new rows, sign, store) — what the worker does each minute
 *   - verification speed: the full chain (target < 10 s) next to a bare COPY of the same columns (the
 *     floor: reading without checking), hashed on worker threads and on one thread, and incremental from the
 *     newest checkpoint (target < 100 ms), with 0 and with 100 rows after it
 * Prints figures only; asserts nothing. Uses a fresh checkpoint directory each run.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { Readable } from "node:stream";
import { to as copyTo } from "pg-copy-streams";
import { CHAIN_COPY_SELECT } from "../lib/audit/chain-chunk.mjs";
import { ensureServerCondition } from "../scripts/lib/ensure-server-condition";
import { testEnv } from "../test/test-env";
import { benchDatabaseUrl, prepareDatabase, seed } from "./audit-seed";
import { testAuditAction } from "@/test/test-audit-action";

const dir = mkdtempSync(path.join(tmpdir(), "ncdd-ckpt-bench-"));
Object.assign(process.env, { ...testEnv(), ...process.env, DATABASE_URL: benchDatabaseUrl, AUDIT_CHECKPOINT_DIR: dir, LOG_LEVEL: "warn" });
ensureServerCondition();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

async function main(): Promise<void> {
  await prepareDatabase();
  const client = new pg.Client({ connectionString: benchDatabaseUrl });
  await client.connect();
  await seed();
  await client.end();

  const { auditConfig } = await import("../lib/audit/audit-config");
  const { signCheckpoint } = await import("../lib/audit/checkpoint");
  const { fileCheckpointStore } = await import("../lib/audit/checkpoint-store");
  const { writeAuditCheckpoint } = await import("../lib/audit/write-checkpoint");
  const { verifyAuditChain } = await import("../lib/audit/verify-chain");
  const { recordAuditEvents } = await import("../lib/audit/record-event");
  const { auditPool, closeAuditPool } = await import("../lib/audit/audit-pool");
  const { db } = await import("../lib/db");

  const rows = (await auditPool().query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`)).rows[0]!.n;
  console.log(`trail: ${Number(rows).toLocaleString()} rows; checkpoint store: ${dir}`);

  const key = auditConfig().signingKey!;
  const body = { count: rows, headSeq: rows, headHash: "a".repeat(64), at: new Date().toISOString(), prev: null };
  let t = performance.now();
  for (let i = 0; i < 2000; i += 1) signCheckpoint(body, key);
  const signUs = ((performance.now() - t) / 2000) * 1000;
  const scratch = fileCheckpointStore(mkdtempSync(path.join(tmpdir(), "ncdd-ckpt-scratch-")));
  const appends: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const cp = signCheckpoint({ ...body, headSeq: String(i + 1), at: new Date(Date.now() + i).toISOString() }, key);
    t = performance.now();
    await scratch.append(cp);
    appends.push(performance.now() - t);
  }
  console.log(`\ncheckpoint cost:`);
  console.log(`  Ed25519 sign                      ${signUs.toFixed(0)} µs`);
  console.log(`  file-store append (fsync)         median ${fmt(median(appends))} ms`);

  t = performance.now();
  const first = await writeAuditCheckpoint();
  console.log(`  first checkpoint (walks all rows)  ${fmt(performance.now() - t)} ms (${first.status}, ${first.checkpoint?.count} rows)`);
  const runs: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    await recordAuditEvents(
      Array.from({ length: 100 }, (_, n) => ({
        actor: "bench",
        actorType: "system" as const,
        action: testAuditAction("bench.checkpoint"),
        outcome: "success" as const,
        correlationId: `b-${i}-${n}`,
      })),
    );
    t = performance.now();
    const r = await writeAuditCheckpoint();
    runs.push(performance.now() - t);
    if (r.status !== "signed") throw new Error(`checkpoint ${r.status}`);
  }
  console.log(
    `  checkpoint after 100 new rows      median ${fmt(median(runs))} ms, max ${fmt(Math.max(...runs))} ms (verify head + walk + sign + store)`,
  );
  t = performance.now();
  const unchanged = await writeAuditCheckpoint();
  console.log(`  checkpoint with nothing new        ${fmt(performance.now() - t)} ms (${unchanged.status})`);

  console.log(`\nverification:`);
  // Wall time depends on what else runs on the machine; CPU time of this process (hashing, JSON) and of the
  // PostgreSQL server (building the batches, which overlaps: the next batch is read while one is hashed)
  // say what the walk itself costs. On an otherwise idle 2-core machine the wall time is about the larger.
  const serverCpu = async () => {
    const { rows: pids } = await client2.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    let ticks = 0;
    for (const { pid } of pids) {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // not readable (another user, or not Linux): report what we can
      }
    }
    return ticks / 100;
  };
  const client2 = new pg.Client({ connectionString: benchDatabaseUrl });
  await client2.connect();
  // The floor: the same rows and columns read through the same COPY, checking nothing.
  const bare: number[] = [];
  for (let i = 0; i < 2; i += 1) {
    t = performance.now();
    let bytes = 0;
    for await (const chunk of client2.query(
      copyTo(`COPY (SELECT ${CHAIN_COPY_SELECT} FROM "AuditEvent" e ORDER BY e.seq) TO STDOUT`),
    ) as Readable)
      bytes += (chunk as Buffer).length;
    bare.push((performance.now() - t) / 1000);
    if (i === 0)
      console.log(`  bare COPY of the same columns      ${bare[0]!.toFixed(2)} s (${(bytes / 1_048_576).toFixed(0)} MB, nothing checked)`);
  }
  const bareS = Math.min(...bare);
  for (const [label, walk] of [
    ["worker threads", undefined],
    ["worker threads", undefined],
    ["one thread", { threads: 0 }],
  ] as const) {
    await auditPool().query("SELECT 1");
    const cpu0 = process.cpuUsage();
    const srv0 = await serverCpu();
    t = performance.now();
    const full = await verifyAuditChain({ mode: "full", ...(walk ? { walk } : {}) });
    const s = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const srv = (await serverCpu()) - srv0;
    console.log(
      `  full chain, ${label.padEnd(14)}       ${s.toFixed(2)} s wall for ${Number(full.rows).toLocaleString()} rows = ${Math.round(Number(full.rows) / s).toLocaleString()} rows/s, ${(s / bareS).toFixed(1)}x the bare COPY (ok: ${full.ok}, ${full.checkpointsChecked} checkpoints checked; target < 10 s)`,
    );
    console.log(
      `                                     CPU: this process ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, PostgreSQL ${srv.toFixed(2)} s; load average now ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    );
  }
  await client2.end();
  const inc0: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    t = performance.now();
    const r = await verifyAuditChain({ mode: "incremental" });
    inc0.push(performance.now() - t);
    if (!r.ok || r.mode !== "incremental") throw new Error(JSON.stringify(r));
  }
  console.log(`  incremental, 0 rows after newest   median ${fmt(median(inc0))} ms, max ${fmt(Math.max(...inc0))} ms (target < 100 ms)`);
  await recordAuditEvents(
    Array.from({ length: 100 }, (_, n) => ({
      actor: "bench",
      actorType: "system" as const,
      action: testAuditAction("bench.verify"),
      outcome: "success" as const,
      correlationId: `v-${n}`,
    })),
  );
  const inc100: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    t = performance.now();
    const r = await verifyAuditChain({ mode: "incremental" });
    inc100.push(performance.now() - t);
    if (!r.ok || r.checked !== 100) throw new Error(JSON.stringify(r));
  }
  console.log(
    `  incremental, 100 rows after newest median ${fmt(median(inc100))} ms, max ${fmt(Math.max(...inc100))} ms (target < 100 ms)`,
  );
  await closeAuditPool();
  await db().$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
