import { spawnSync } from "node:child_process";

const CONDITION = "--conditions=react-server";

/**
 * The one way server code runs outside Next. lib modules carry `import "server-only"`, which is an empty
 * module under the `react-server` export condition (the mechanism Next itself uses) and throws elsewhere.
 * Long-running processes (the worker) are started with the flag; a command a person types (`npx tsx
 * scripts/…`, a bench) calls this first and, when started without the flag, re-runs itself with it once.
 * Server modules must then be imported dynamically, after this call.
 */
export function ensureServerCondition(): void {
  if (process.execArgv.includes(CONDITION)) return;
  const r = spawnSync(process.execPath, [CONDITION, ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
