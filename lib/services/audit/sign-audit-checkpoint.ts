import "server-only";
import { recordAuditEvent } from "../../audit/record-event";
import { writeAuditCheckpoint, type TWriteCheckpointResult } from "../../audit/write-checkpoint";
import { AppError } from "../../errors";
import type { TCtx } from "../context";

/**
 * "Sign a checkpoint now" for admins: records the request, then signs the trail's head (the record
 * included) unless the trail no longer extends the newest checkpoint, which is refused and reported.
 */
export async function signAuditCheckpoint(ctx: TCtx): Promise<TWriteCheckpointResult> {
  const base = { actor: ctx.userSub, correlationId: ctx.correlationId, action: "audit.checkpoint" as const, resource: "audit-events" };
  if (!ctx.isAdmin) {
    await recordAuditEvent({ ...base, actorType: "user", outcome: "refused" });
    throw new AppError("Forbidden", "Only admins can sign audit checkpoints.");
  }
  await recordAuditEvent({ ...base, actorType: "admin", outcome: "pending", details: { username: ctx.username } });
  const result = await writeAuditCheckpoint();
  if (result.status === "no-key") throw new AppError("BadInput", "No checkpoint signing key is configured (AUDIT_CHECKPOINT_KEYS).");
  return result;
}
