import { NextResponse, type NextRequest } from "next/server";
import { countAuditEventsOverTime } from "@/lib/services/audit/count-audit-events-over-time";
import { chartBucket, pickAuditFilters } from "@/components/admin/audit-filters";
import { errorResponse } from "../../_shared/error-response";
import { NO_STORE, requireAdminRequest } from "../../_shared/require-admin-request";

/** Event counts over time for the chart, with the same filters as the list (admins only). */
export async function GET(req: NextRequest) {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  const filters = pickAuditFilters(req.nextUrl.searchParams);
  try {
    return NextResponse.json(await countAuditEventsOverTime(ctx, { ...filters, bucket: chartBucket(filters) }), { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
