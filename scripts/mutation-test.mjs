#!/usr/bin/env node
/**
 * `npm run test:mutation [module…]`: StrykerJS over the security core, one module at a time, each against the
 * tests that guard it, on a database of its own (ncdd_stryker_test). Modules whose tests sign in to the
 * shared Keycloak run under the shared lock (/tmp/ncdd-shared.lock). Each run is bounded
 * (MUTATION_TIMEOUT_MINUTES, default 60). Not part of scripts/test.sh: it takes long.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync } from "node:fs";

export const MODULES = {
  logger: { mutate: ["lib/logger.ts"], tests: ["lib/__tests__/logger-output.unit.test.ts"], lock: false },
  vault: {
    mutate: ["lib/vault/token-vault.ts", "lib/vault/aad.ts"],
    tests: ["lib/vault/__tests__/token-vault-unit.unit.test.ts"],
    lock: false,
  },
  "audit-hash": { mutate: ["lib/audit/canonical-event.ts"], tests: ["lib/audit/__tests__/canonical-event.unit.test.ts"], lock: false },
  // The walker and verify-chain on rows and checkpoints held in memory (PostgreSQL proves the real walk elsewhere).
  "audit-chain": { mutate: ["lib/audit/chain-walker.ts"], tests: ["lib/audit/__tests__/chain-walker.unit.test.ts"], lock: false },
  "audit-verify": {
    mutate: ["lib/audit/verify-chain.ts"],
    tests: ["lib/audit/__tests__/verify-chain.unit.test.ts"],
    lock: false,
  },
  "may-act": { mutate: ["lib/jobs/assert-run-may-act.ts"], tests: ["lib/jobs/__tests__/assert-run-may-act.test.ts"], lock: false },
  // The table every transition function of lib/grants asks (they are proven against real rows in grant-lifecycle.test.ts).
  "grant-state-machine": {
    mutate: ["lib/grants/grant-lifecycle.ts"],
    tests: ["lib/grants/__tests__/grant-transition-table.test.ts"],
    lock: false,
  },
  // Keycloak's two token calls are fakes here (delegated-token-rules); get-delegated-token.test.ts proves the real ones.
  "token-path": {
    mutate: ["lib/grants/get-delegated-token.ts", "lib/grants/lock-grant.ts", "lib/grants/delegated-token-memory.ts"],
    tests: [
      "lib/grants/__tests__/delegated-token-rules.test.ts",
      "lib/grants/__tests__/delegated-token-memory.test.ts",
      "lib/grants/__tests__/delegated-token-edges.test.ts",
    ],
    lock: false,
  },
  // A local key pair stands in for the realm's JWKS, so every claim can be wrong on purpose; the same handlers are
  // proven against the real Keycloak in forged-logout-signature, backchannel-logout and session-follows-keycloak.
  "backchannel-logout": {
    mutate: ["lib/auth/verify-logout-token.ts", "lib/services/grants/handle-backchannel-logout.ts", "lib/auth/handle-dashboard-logout.ts"],
    tests: ["lib/auth/__tests__/logout-token-rules.test.ts"],
    lock: false,
  },
  // Keycloak's side of the callback is faked (consent-completion-rules); consent-and-revoke.test.ts proves the real one.
  "consent-completion": {
    mutate: ["lib/services/grants/complete-grant.ts"],
    tests: [
      "lib/services/grants/__tests__/consent-completion-rules.test.ts",
      "lib/services/grants/__tests__/consent-completion-warnings.test.ts",
    ],
    lock: false,
  },
};

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(MODULES);
const unknown = chosen.filter((m) => !(m in MODULES));
if (unknown.length) {
  console.error(`unknown module(s): ${unknown.join(", ")}; known: ${Object.keys(MODULES).join(", ")}`);
  process.exit(2);
}
const minutes = Number(process.env.MUTATION_TIMEOUT_MINUTES ?? 60);
const pgBase = process.env.TEST_PG_BASE ?? "postgresql://postgres@127.0.0.1:5432";
const appUrl = new URL(`${pgBase}/ncdd_stryker_test`);
appUrl.username = "ncdd_app";
appUrl.password = "";
const env = {
  ...process.env,
  DATABASE_URL: String(appUrl),
  DATABASE_ADMIN_URL: process.env.DATABASE_ADMIN_URL ?? `${pgBase}/postgres`,
  LOG_LEVEL: "error",
};

// Migrated once here (the Stryker Vitest config has no global setup: it would run again for every mutant).
const migrated = spawnSync("npx", ["tsx", "scripts/migrate-database.ts", env.DATABASE_URL], { stdio: "inherit", env });
if (migrated.status !== 0) process.exit(1);

const results = [];
let status = 0;
for (const name of chosen) {
  const mod = MODULES[name];
  mkdirSync(`reports/mutation/${name}`, { recursive: true });
  // STRYKER_FORCE=1 ignores the incremental file: it re-used "survived" for module-level (static) mutants
  // that new tests kill.
  const stryker = ["npx", "stryker", "run", "stryker.config.mjs", ...(process.env.STRYKER_FORCE === "1" ? ["--force"] : [])];
  const cmd = [...(mod.lock ? ["flock", "/tmp/ncdd-shared.lock"] : []), "timeout", `${minutes}m`, ...stryker];
  console.log(`==> mutation testing ${name}${mod.lock ? " (holding the shared lock)" : ""}: ${mod.mutate.join(", ")}`);
  const run = spawnSync(cmd[0], cmd.slice(1), {
    stdio: "inherit",
    env: { ...env, STRYKER_MODULE: name, STRYKER_MUTATE: mod.mutate.join(","), STRYKER_TESTS: mod.tests.join(",") },
  });
  if (run.status !== 0) status = 1;
  const file = `reports/mutation/${name}/mutation.json`;
  results.push({ name, exit: run.status, score: existsSync(file) ? scoreOf(JSON.parse(readFileSync(file, "utf8"))) : null });
}

/** Mutation score as Stryker computes it: killed + timeout over all valid mutants (no-coverage counts as survived). */
function scoreOf(report) {
  let detected = 0;
  let valid = 0;
  for (const f of Object.values(report.files)) {
    for (const m of f.mutants) {
      if (["CompileError", "RuntimeError", "Ignored"].includes(m.status)) continue;
      valid += 1;
      if (m.status === "Killed" || m.status === "Timeout") detected += 1;
    }
  }
  return valid ? Math.round((1000 * detected) / valid) / 10 : null;
}

console.log("\nmodule                 score   report");
for (const r of results)
  console.log(
    `${r.name.padEnd(22)} ${r.score === null ? "  n/a " : `${r.score.toFixed(1)}%`.padStart(6)}  reports/mutation/${r.name}/mutation.html${r.exit === 0 ? "" : `  (exit ${r.exit})`}`,
  );
process.exit(status);
