import { NextResponse } from "next/server";
import { withAdmin } from "@/lib/auth/with-request";
import { NO_STORE } from "@/lib/http/error-response";
import { countAuditEventsOverTime } from "@/lib/services/audit/count-audit-events-over-time";
import { chartBucket } from "@/components/admin/audit-filters";
import { parseSearchParams } from "@/lib/validation/parse-search-params";
import { ZAuditChartQuerySchema } from "../../_shared/audit-query-schemas";

/** Event counts over time for the chart, with the same filters as the list (admins only). */
export const GET = withAdmin(async (ctx, req) => {
  const filters = parseSearchParams(ZAuditChartQuerySchema, req.nextUrl.searchParams);
  const bucket = chartBucket({ from: filters.from?.toISOString(), to: filters.to?.toISOString() });
  return NextResponse.json(await countAuditEventsOverTime(ctx, { ...filters, bucket }), { headers: NO_STORE });
});
