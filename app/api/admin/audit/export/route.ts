import { withAdmin } from "@/lib/auth/with-request";
import { exportAuditEvents } from "@/lib/services/audit/export-audit-events";
import { parseSearchParams } from "@/lib/validation/parse-search-params";
import { ZAuditExportQuerySchema } from "../../_shared/audit-query-schemas";

/**
 * Streams the FILTERED audit trail as a CSV or JSON attachment (admins only). The service records the
 * export and pulls rows batch by batch as the browser reads, so memory stays flat.
 */
export const GET = withAdmin(async (ctx, req) => {
  const input = parseSearchParams(ZAuditExportQuerySchema, req.nextUrl.searchParams);
  const out = await exportAuditEvents(ctx, input);
  return new Response(out.stream, {
    headers: {
      "content-type": out.contentType,
      "content-disposition": `attachment; filename="${out.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-audit-snapshot-seq": out.snapshotSeq,
      ...(out.checkpoint ? { "x-audit-checkpoint-seq": out.checkpoint.headSeq } : {}),
    },
  });
});
