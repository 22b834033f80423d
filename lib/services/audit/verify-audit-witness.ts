import "server-only";
import { parseWitnessFile, WitnessFileError } from "../../audit/parse-witness-file";
import { recordAuditEvent } from "../../audit/record-event";
import { verifyWitness, type TWitnessVerification } from "../../audit/verify-witness";
import { AppError } from "../../errors";
import type { TCtx } from "../context";

/** Largest witness file accepted (an export of roughly 100,000 rows). */
export const MAX_WITNESS_BYTES = 50 * 1024 * 1024;

/**
 * Checks a saved export, checkpoint or receipt (uploaded by an admin) against the trail as it is now, and
 * records that it was checked and what came out. A file that is no witness is a BadInput naming why.
 */
export async function verifyAuditWitness(ctx: TCtx, input: { text: string; fileName?: string }): Promise<TWitnessVerification> {
  const base = { actor: ctx.userSub, correlationId: ctx.correlationId, action: "audit.verify-witness" as const, resource: "audit-events" };
  if (!ctx.isAdmin) {
    await recordAuditEvent({ ...base, actorType: "user", outcome: "refused" });
    throw new AppError("Forbidden", "Only admins can verify audit witnesses.");
  }
  const badFile = (why: string) => new AppError("BadInput", `file: ${why}`, { field: "file" });
  if (input.text.length === 0) throw badFile("the file is empty");
  if (Buffer.byteLength(input.text) > MAX_WITNESS_BYTES) throw badFile(`larger than ${MAX_WITNESS_BYTES / 1024 / 1024} MB`);
  let file;
  try {
    file = parseWitnessFile(input.text);
  } catch (error) {
    if (error instanceof WitnessFileError) throw badFile(error.message);
    throw error;
  }
  const result = await verifyWitness(file);
  await recordAuditEvent({
    ...base,
    actorType: "admin",
    outcome: result.ok ? "success" : "failure",
    details: {
      username: ctx.username,
      kind: result.kind,
      rows: result.rows.inFile,
      missing: result.rows.missingCount,
      changed: result.rows.changed.length,
      firstBrokenSeq: result.chain.firstBrokenSeq ?? null,
    },
  });
  return result;
}
