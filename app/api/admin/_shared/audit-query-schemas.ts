import "server-only";
import { z } from "zod";
import { AUDIT_FILTER_KEYS } from "@/components/admin/audit-filters";
import { readAuditCursor } from "@/lib/services/audit/encode-audit-cursor";
import { refineTimeRange, ZAuditFilterFields } from "@/lib/services/audit/parse-audit-filter";
import { ZCursorSchema } from "@/lib/validation/z-cursor-schema";

// The filters the admin page puts in its URLs, with the services' own field schemas.
const filters = Object.fromEntries(AUDIT_FILTER_KEYS.map((k) => [k, ZAuditFilterFields[k]])) as Pick<
  typeof ZAuditFilterFields,
  (typeof AUDIT_FILTER_KEYS)[number]
>;

const cursor = z.preprocess(
  (v) => (v === "" ? undefined : v),
  ZCursorSchema.refine((c) => readAuditCursor(c) !== null, { error: "must be a page token from a previous answer" }).optional(),
);

/** Query of GET /api/admin/audit: the filters and an optional page token. */
export const ZAuditListQuerySchema = z.object({ ...filters, cursor }).superRefine(refineTimeRange);

/** Query of GET /api/admin/audit/chart: the filters (the bucket follows from the range). */
export const ZAuditChartQuerySchema = z.object(filters).superRefine(refineTimeRange);

/** Query of GET /api/admin/audit/export: the filters and the file format. */
export const ZAuditExportQuerySchema = z
  .object({
    ...filters,
    format: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(["csv", "json"], { error: "format must be csv or json" }).default("csv"),
    ),
  })
  .superRefine(refineTimeRange);
