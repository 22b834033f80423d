import "server-only";
import { verifyAuditChain, type TChainVerification } from "../../audit/verify-chain";
import { AppError } from "../../errors";
import type { TCtx } from "../context";
import { recordAdminView } from "./record-admin-view";

/** An admin's on-demand check of the whole chain (or what the newest checkpoint does not cover); audited. */
export async function verifyAuditTrail(ctx: TCtx, mode: "full" | "incremental"): Promise<TChainVerification> {
  if (!ctx.isAdmin) throw new AppError("Forbidden", "Only admins can verify the audit trail.");
  const result = await verifyAuditChain({ mode });
  await recordAdminView(ctx, "audit.verify", "audit-events", {
    mode,
    ok: result.ok,
    checked: result.checked,
    firstBrokenSeq: result.firstBrokenSeq ?? null,
  });
  return result;
}
