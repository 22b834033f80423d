import { NextResponse, type NextRequest } from "next/server";
import { searchAuditEvents } from "@/lib/services/audit/search-audit-events";
import { AUDIT_PAGE_SIZE } from "@/components/admin/audit-filters";
import { parseSearchParams } from "@/lib/validation/parse-search-params";
import { ZAuditListQuerySchema } from "../_shared/audit-query-schemas";
import { errorResponse } from "../_shared/error-response";
import { recordAdminView } from "../_shared/record-admin-view";
import { NO_STORE, requireAdminRequest } from "../_shared/require-admin-request";

/** One page of the audit trail for the admin page (admins only; each query is itself audited). */
export async function GET(req: NextRequest) {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  try {
    const { cursor, ...filters } = parseSearchParams(ZAuditListQuerySchema, req.nextUrl.searchParams);
    const page = await searchAuditEvents(ctx, { ...filters, cursor, limit: AUDIT_PAGE_SIZE });
    await recordAdminView(ctx, "audit.search", "audit-events", { filter: filters, page: cursor ? "older" : "first", rows: page.rows.length });
    return NextResponse.json(page, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
