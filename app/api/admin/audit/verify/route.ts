import { NextResponse } from "next/server";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { errorResponse } from "../../_shared/error-response";
import { recordAdminView } from "../../_shared/record-admin-view";
import { NO_STORE, requireAdminRequest } from "../../_shared/require-admin-request";

/** Walks the whole hash chain on demand and reports the first broken link (admins only; audited). */
export async function GET() {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  try {
    const result = await verifyAuditChain();
    await recordAdminView(ctx, "audit.verify", "audit-events", { ok: result.ok, checked: result.checked, firstBrokenSeq: result.firstBrokenSeq ?? null });
    return NextResponse.json(result, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
