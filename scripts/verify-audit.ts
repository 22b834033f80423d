/**
 * Verifies the audit trail: `npx tsx scripts/verify-audit.ts [--incremental] [--sign] [--against <file>]`.
 *
 *   (no flag)          walks the whole chain and checks it against every signed checkpoint in the store
 *   --incremental      checks the newest checkpoint's head, then only the rows after it (milliseconds)
 *   --sign             signs a checkpoint of the current head first (needs AUDIT_CHECKPOINT_KEYS)
 *   --against <file>   checks a saved witness — a CSV/JSON export, a checkpoint JSON, or a receipt
 *                      carrying one — and names the rows it holds that are missing or changed now
 *
 * Reads `.env` itself and needs only DATABASE_URL and the AUDIT_CHECKPOINT_* variables (a verifier-only
 * host may set AUDIT_CHECKPOINT_PUBLIC_KEYS instead of the private keys). Prints the result as JSON on
 * stdout and one sentence on stderr; exits 0 when everything verifies, 1 when something disagrees, 2
 * when it cannot run.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ensureServerCondition } from "./lib/ensure-server-condition";
import { loadDotenv } from "./lib/load-dotenv";

ensureServerCondition();
loadDotenv();

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { against: { type: "string" }, incremental: { type: "boolean" }, sign: { type: "boolean" } },
    strict: true,
  });
  const { closeAuditPool } = await import("../lib/audit/audit-pool");
  try {
    if (values.sign) {
      const { writeAuditCheckpoint } = await import("../lib/audit/write-checkpoint");
      const signed = await writeAuditCheckpoint();
      process.stderr.write(
        `checkpoint: ${signed.status}${signed.checkpoint ? ` (${signed.checkpoint.count} rows up to seq ${signed.checkpoint.headSeq})` : ""}${"reason" in signed ? `: ${signed.reason}` : ""}\n`,
      );
      if (signed.status === "refused") return 1;
    }
    if (values.against) {
      const { parseWitnessFile } = await import("../lib/audit/parse-witness-file");
      const { verifyWitness } = await import("../lib/audit/verify-witness");
      const result = await verifyWitness(parseWitnessFile(readFileSync(values.against, "utf8")));
      process.stdout.write(JSON.stringify(result) + "\n");
      process.stderr.write(`${result.summary}\n`);
      return result.ok ? 0 : 1;
    }
    const { verifyAuditChain } = await import("../lib/audit/verify-chain");
    const result = await verifyAuditChain({ mode: values.incremental ? "incremental" : "full" });
    process.stdout.write(JSON.stringify(result) + "\n");
    if (!result.ok) {
      process.stderr.write(`Audit chain BROKEN at seq ${result.firstBrokenSeq}: ${result.reason}\n`);
      return 1;
    }
    const against = result.checkpoint
      ? `against the checkpoint of ${result.checkpoint.at} (${result.checkpoint.count} rows up to seq ${result.checkpoint.headSeq})`
      : `WITHOUT a checkpoint (${result.checkpointProblem ?? "none signed yet"}): deleting the newest rows would not be noticed`;
    process.stderr.write(`Audit chain OK (${result.mode}): ${result.rows} events, ${result.checked} checked, ${against}.\n`);
    return 0;
  } finally {
    await closeAuditPool();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`verify-audit could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
