import { NextResponse } from "next/server";
import { withAdmin } from "@/lib/auth/with-request";
import { NO_STORE } from "@/lib/http/error-response";
import { searchAuditEvents } from "@/lib/services/audit/search-audit-events";
import { recordAdminView } from "@/lib/services/audit/record-admin-view";
import { AUDIT_PAGE_SIZE } from "@/components/admin/audit-filters";
import { parseSearchParams } from "@/lib/validation/parse-search-params";
import { ZAuditListQuerySchema } from "../_shared/audit-query-schemas";

/** One page of the audit trail for the admin page (admins only; each query is itself audited). */
export const GET = withAdmin(async (ctx, req) => {
  const { cursor, ...filters } = parseSearchParams(ZAuditListQuerySchema, req.nextUrl.searchParams);
  const page = await searchAuditEvents(ctx, { ...filters, cursor, limit: AUDIT_PAGE_SIZE });
  await recordAdminView(ctx, "audit.search", "audit-events", { filter: filters, page: cursor ? "older" : "first", rows: page.rows.length });
  return NextResponse.json(page, { headers: NO_STORE });
});
