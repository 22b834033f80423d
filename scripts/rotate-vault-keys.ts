/**
 * `npx tsx scripts/rotate-vault-keys.ts`: re-encrypts every sealed token column to the newest key in
 * TOKEN_VAULT_KEYS (see lib/vault/rotate-vault-keys.ts). Add the new key last, run this, check that it
 * reports no rows left, then drop the old key.
 */
import { ensureServerCondition } from "./lib/ensure-server-condition";
import { loadDotenv } from "./lib/load-dotenv";

ensureServerCondition();
loadDotenv();

const { rotateVaultKeys } = await import("../lib/vault/rotate-vault-keys");
const { db } = await import("../lib/db");
try {
  const first = await rotateVaultKeys();
  console.log(
    `vault: re-encrypted to key "${first.keyId}": ${first.grants} grants, ${first.revocations} revocations, ${first.loginSessions} login sessions`,
  );
  const left = await rotateVaultKeys();
  console.log(`vault: rows still on older keys: ${left.grants + left.revocations + left.loginSessions}`);
} catch (err) {
  console.error(`vault: rotation failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await db().$disconnect();
}
