#!/usr/bin/env node
/**
 * `npm run test:each [filter…]`: runs every Vitest file ALONE — a fresh Vitest process per file, nothing
 * else before it — and reports which fail, so no file can lean on state another file left behind.
 * Each file's run holds the shared lock (/tmp/ncdd-shared.lock) only while it runs, so other sessions get
 * Keycloak between files. EACH_FILE_LOCK=auto takes it only for files that look like they reach Keycloak or a
 * shared port (SHARED_RESOURCE below); EACH_FILE_LOCK=0 never takes it (CI, where nothing else shares them).
 * Uses its own database (ncdd_each_test, reset once at the start). Logs: .test-reports/each-file/<file>.log,
 * summary: .test-reports/each-file/summary.json. Exit code 1 when any file fails.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync, rmSync } from "node:fs";
import path from "node:path";

const ROOTS = ["lib", "test", "scripts"];
const filters = process.argv.slice(2);
const lockMode = process.env.EACH_FILE_LOCK ?? "1";
// Words a test file that reaches Keycloak, the shared worker/stand-in/app ports or the worker uses (a file that
// matches needs the lock; one that does not is database-only or pure). Conservative: a false match only waits.
const SHARED_RESOURCE =
  /keycloak|8180|9464|8281|:3000|getOidcConfig|person-fixture|grant-fixture|consent-over-http|admin-api|startWorker|worker-main|pg-boss|PgBoss|logout-receiver|oidc|revokeGrant|completeGrant|checkGrants|probe/i;
const needsLock = (file) => lockMode === "1" || (lockMode === "auto" && SHARED_RESOURCE.test(readFileSync(file, "utf8")));
const lock = lockMode !== "0";
const perFileMinutes = Number(process.env.EACH_FILE_TIMEOUT_MINUTES ?? 15);
const pgBase = process.env.TEST_PG_BASE ?? "postgresql://postgres@127.0.0.1:5432";
const appUrl = new URL(`${pgBase}/${process.env.EACH_FILE_DATABASE ?? "ncdd_each_test"}`);
appUrl.username = "ncdd_app";
appUrl.password = "";
const env = {
  ...process.env,
  DATABASE_URL: String(appUrl),
  DATABASE_ADMIN_URL: process.env.DATABASE_ADMIN_URL ?? `${pgBase}/postgres`,
  ALLOW_KEYCLOAK_RESTART: process.env.ALLOW_KEYCLOAK_RESTART ?? "0",
};

/** Every file Vitest's include patterns name (vitest.config.ts): `<root>/**\/__tests__/**\/*.test.ts`. */
function testFiles() {
  const found = [];
  const walk = (dir, inTests) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, inTests || name === "__tests__");
      else if (inTests && name.endsWith(".test.ts")) found.push(full);
    }
  };
  for (const root of ROOTS) if (existsSync(root)) walk(root, false);
  return found.sort();
}

const chosen = testFiles().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
// Files that need no lock first: they finish while the lock is busy elsewhere.
const files = [...chosen.filter((f) => !needsLock(f)), ...chosen.filter((f) => needsLock(f))];
const outDir = ".test-reports/each-file";
mkdirSync(outDir, { recursive: true });

console.log(
  `==> ${files.length} test files, each alone, on ${appUrl.pathname.slice(1)}${lock ? ` (${lockMode === "auto" ? "those that reach shared resources" : "each"} holding the shared lock while it runs)` : ""}`,
);
const reset = spawnSync("npx", ["tsx", "scripts/reset-database.ts", env.DATABASE_URL], { stdio: "inherit", env });
if (reset.status !== 0) process.exit(1);

const results = [];
for (const [i, file] of files.entries()) {
  const slug = file.replace(/[/\\]/g, "__");
  const json = path.join(outDir, `${slug}.json`);
  const logFile = path.join(outDir, `${slug}.log`);
  rmSync(json, { force: true });
  const vitest = ["npx", "vitest", "run", file, "--reporter=default", "--reporter=json", `--outputFile.json=${json}`];
  const locked = needsLock(file);
  const cmd = [...(locked ? ["flock", "/tmp/ncdd-shared.lock"] : []), "timeout", `${perFileMinutes}m`, ...vitest];
  const started = Date.now();
  const run = spawnSync(cmd[0], cmd.slice(1), { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  writeFileSync(logFile, `${run.stdout ?? ""}\n${run.stderr ?? ""}`);
  const counts = { passed: 0, failed: 0, skipped: 0, skips: [] };
  if (existsSync(json)) {
    const report = JSON.parse(readFileSync(json, "utf8"));
    counts.passed = report.numPassedTests ?? 0;
    counts.failed = report.numFailedTests ?? 0;
    counts.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    for (const suite of report.testResults ?? []) {
      for (const t of suite.assertionResults ?? [])
        if (t.status === "skipped" || t.status === "pending") counts.skips.push(t.fullName ?? t.title);
    }
  }
  const ok = run.status === 0 && counts.failed === 0;
  const timedOut = run.status === 124;
  results.push({ file, ok, exit: run.status, seconds, locked, ...counts, log: logFile, timedOut });
  const skipped = counts.skipped ? `, ${counts.skipped} skipped` : "";
  console.log(
    `${ok ? "PASS" : "FAIL"} [${i + 1}/${files.length}] ${file} — ${counts.passed} passed, ${counts.failed} failed${skipped} (${seconds} s)${timedOut ? " TIMED OUT" : ""}${ok ? "" : ` → ${logFile}`}`,
  );
}

const failed = results.filter((r) => !r.ok);
writeFileSync(path.join(outDir, "summary.json"), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
console.log(`\n${results.length - failed.length} of ${results.length} files pass alone.`);
for (const r of results.filter((x) => x.skips.length)) for (const s of r.skips) console.log(`skipped in ${r.file}: ${s}`);
if (failed.length) {
  console.log("Files that fail alone:");
  for (const r of failed) console.log(`  ${r.file} (exit ${r.exit}${r.timedOut ? ", timed out" : ""}) → ${r.log}`);
  process.exit(1);
}
