import { NextResponse, type NextRequest } from "next/server";
import { countAuditEventsOverTime } from "@/lib/services/audit/count-audit-events-over-time";
import { chartBucket } from "@/components/admin/audit-filters";
import { parseSearchParams } from "@/lib/validation/parse-search-params";
import { ZAuditChartQuerySchema } from "../../_shared/audit-query-schemas";
import { errorResponse } from "../../_shared/error-response";
import { NO_STORE, requireAdminRequest } from "../../_shared/require-admin-request";

/** Event counts over time for the chart, with the same filters as the list (admins only). */
export async function GET(req: NextRequest) {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  try {
    const filters = parseSearchParams(ZAuditChartQuerySchema, req.nextUrl.searchParams);
    const bucket = chartBucket({ from: filters.from?.toISOString(), to: filters.to?.toISOString() });
    return NextResponse.json(await countAuditEventsOverTime(ctx, { ...filters, bucket }), { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
