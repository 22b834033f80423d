import { NextResponse, type NextRequest } from "next/server";
import { searchAuditEvents } from "@/lib/services/audit/search-audit-events";
import { AUDIT_PAGE_SIZE, pickAuditFilters } from "@/components/admin/audit-filters";
import { errorResponse } from "../_shared/error-response";
import { recordAdminView } from "../_shared/record-admin-view";
import { NO_STORE, requireAdminRequest } from "../_shared/require-admin-request";

/** One page of the audit trail for the admin page (admins only; each query is itself audited). */
export async function GET(req: NextRequest) {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  const filters = pickAuditFilters(req.nextUrl.searchParams);
  const cursor = req.nextUrl.searchParams.get("cursor");
  try {
    const page = await searchAuditEvents(ctx, { ...filters, cursor: cursor ?? undefined, limit: AUDIT_PAGE_SIZE });
    await recordAdminView(ctx, "audit.search", "audit-events", { filter: filters, page: cursor ? "older" : "first", rows: page.rows.length });
    return NextResponse.json(page, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
