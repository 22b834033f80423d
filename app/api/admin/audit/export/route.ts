import type { NextRequest } from "next/server";
import { exportAuditEvents } from "@/lib/services/audit/export-audit-events";
import { pickAuditFilters } from "@/components/admin/audit-filters";
import { errorResponse } from "../../_shared/error-response";
import { requireAdminRequest } from "../../_shared/require-admin-request";

/**
 * Streams the FILTERED audit trail as a CSV or JSON attachment (admins only). The service records the
 * export and pulls rows batch by batch as the browser reads, so memory stays flat.
 */
export async function GET(req: NextRequest) {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  const format = req.nextUrl.searchParams.get("format") === "json" ? "json" : "csv";
  try {
    const out = await exportAuditEvents(ctx, { ...pickAuditFilters(req.nextUrl.searchParams), format });
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
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
