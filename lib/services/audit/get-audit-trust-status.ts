import "server-only";
import { auditConfig } from "../../audit/audit-config";
import { auditPool } from "../../audit/audit-pool";
import { verifyAuditChain, type TChainVerification, type TCheckpointSummary } from "../../audit/verify-chain";
import { AppError } from "../../errors";
import type { TCtx } from "../context";

export type TAuditTrustStatus = {
  /** Green only when a checkpoint exists, is fresh, and the trail verifies against it. */
  healthy: boolean;
  /** Plain sentences, most serious first, for the red banner. */
  problems: string[];
  signingConfigured: boolean;
  checkpoint: TCheckpointSummary | null;
  /** Rows recorded after the newest checkpoint, and when the oldest of them was written. */
  unsignedRows: string;
  oldestUnsignedAt: string | null;
  maxAgeSeconds: number;
  verification: TChainVerification;
  checkedAt: string;
};

/**
 * What the admin page shows about the trail's integrity: the newest signed checkpoint and its age, an
 * incremental verification against it (a full walk when it disagrees, to name the first row), and
 * whether rows have waited too long for a checkpoint (the signer is down: stale). Admins only.
 */
export async function getAuditTrustStatus(ctx: TCtx): Promise<TAuditTrustStatus> {
  if (!ctx.isAdmin) throw new AppError("Forbidden", "Only admins can see the audit trail's integrity.");
  const config = auditConfig();
  const verification = await verifyAuditChain({ mode: "incremental" });
  const cp = verification.checkpoint;
  const { rows } = await auditPool().query<{ n: string; oldest: Date | null }>(
    `SELECT count(*)::text AS n, min("at") AS oldest FROM "AuditEvent" WHERE seq > $1`,
    [cp?.headSeq ?? "0"],
  );
  const unsignedRows = rows[0]!.n;
  const oldest = rows[0]!.oldest;
  const problems: string[] = [];
  if (!verification.ok) {
    problems.push(
      `The audit trail does not verify against its signed checkpoints, at seq ${verification.firstBrokenSeq}: ${verification.reason}`,
    );
  }
  if (!config.signingKey)
    problems.push("No checkpoint signing key is configured (AUDIT_CHECKPOINT_KEYS): deleted or rewritten history would go unnoticed.");
  if (verification.checkpointProblem) problems.push(`Checkpoints: ${verification.checkpointProblem}.`);
  const ageOfUnsigned = oldest ? Math.round((Date.now() - oldest.getTime()) / 1000) : 0;
  if (oldest && ageOfUnsigned > config.maxAgeSeconds) {
    problems.push(
      `The newest checkpoint is stale: ${unsignedRows} row${unsignedRows === "1" ? "" : "s"}, the oldest ${ageOfUnsigned} s old, ${cp ? "are" : "have never been"} covered by no signed checkpoint (limit ${config.maxAgeSeconds} s) — is the worker running?`,
    );
  }
  return {
    healthy: problems.length === 0,
    problems,
    signingConfigured: config.signingKey !== null,
    checkpoint: cp,
    unsignedRows,
    oldestUnsignedAt: oldest ? oldest.toISOString() : null,
    maxAgeSeconds: config.maxAgeSeconds,
    verification,
    checkedAt: new Date().toISOString(),
  };
}
