import { NextResponse } from "next/server";
import { getAuditTrustStatus } from "@/lib/services/audit/get-audit-trust-status";
import { errorResponse } from "../../_shared/error-response";
import { NO_STORE, requireAdminRequest } from "../../_shared/require-admin-request";

/** The newest signed checkpoint, its age, and whether the trail verifies against it (admins only; polled). */
export async function GET() {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  try {
    return NextResponse.json(await getAuditTrustStatus(ctx), { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
