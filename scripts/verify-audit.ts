/**
 * Verifies the audit trail's hash chain: `npx tsx scripts/verify-audit.ts` (uses DATABASE_URL and the
 * app's environment). Prints the result as JSON; exits 1 when a link is broken, 2 when it cannot run.
 */
import { registerNodeEntry } from "../lib/audit/register-node-entry";

registerNodeEntry();

async function main(): Promise<number> {
  const { verifyAuditChain } = await import("../lib/audit/verify-chain");
  const { db } = await import("../lib/db");
  const started = Date.now();
  try {
    const result = await verifyAuditChain();
    process.stdout.write(JSON.stringify({ ...result, ms: Date.now() - started }) + "\n");
    if (!result.ok) {
      process.stderr.write(`Audit chain BROKEN at seq ${result.firstBrokenSeq}: ${result.reason}\n`);
      return 1;
    }
    process.stderr.write(`Audit chain OK: ${result.checked} events verified.\n`);
    return 0;
  } finally {
    await db().$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`verify-audit could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
