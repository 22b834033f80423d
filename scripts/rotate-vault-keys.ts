/**
 * `npx tsx scripts/rotate-vault-keys.ts`: re-encrypts every sealed token column to the newest key in
 * TOKEN_VAULT_KEYS (see lib/vault/rotate-vault-keys.ts). Add the new key last, run this, check that it
 * reports no rows left, then drop the old key.
 *
 * lib modules carry `import "server-only"`, which resolves to a no-op only under the react-server
 * condition; when started without it, the script re-runs itself with it.
 */
import { spawnSync } from "node:child_process";
import { loadDotenv } from "./lib/load-dotenv";

loadDotenv();

const CONDITION = "--conditions=react-server";

if (!process.execArgv.includes(CONDITION)) {
  const r = spawnSync(process.execPath, [CONDITION, ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const { rotateVaultKeys } = await import("../lib/vault/rotate-vault-keys");
const { db } = await import("../lib/db");
try {
  const first = await rotateVaultKeys();
  console.log(`vault: re-encrypted to key "${first.keyId}": ${first.grants} grants, ${first.revocations} revocations, ${first.loginSessions} login sessions`);
  const left = await rotateVaultKeys();
  console.log(`vault: rows still on older keys: ${left.grants + left.revocations + left.loginSessions}`);
} catch (err) {
  console.error(`vault: rotation failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await db().$disconnect();
}
