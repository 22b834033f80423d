import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { requireAdminPage } from "@/lib/auth/page-guards";
import { countAuditEventsOverTime } from "@/lib/services/audit/count-audit-events-over-time";
import { searchAuditEvents } from "@/lib/services/audit/search-audit-events";
import { getAuditTrustStatus } from "@/lib/services/audit/get-audit-trust-status";
import { AUDIT_PAGE_SIZE, auditQueryKeys, chartBucket, pickAuditFilters } from "@/components/admin/audit-filters";
import { recordAdminView } from "@/lib/services/audit/record-admin-view";
import { AUDIT_TRUST_QUERY_KEY } from "@/components/admin/audit-trust-query-key";
import { AuditClient } from "./audit-client";
import { adminPageTitle } from "../admin-page-title";

export const dynamic = "force-dynamic";
export const generateMetadata = adminPageTitle("Audit trail");

/** The audit trail for admins: the first page and the chart are read here and handed to the client. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireAdminPage();
  const filters = pickAuditFilters(await searchParams);
  const qc = new QueryClient();
  // Invalid filters make these fail quietly here; the client then shows the server's message.
  await Promise.all([
    qc.prefetchQuery({
      queryKey: auditQueryKeys.page(filters, null),
      queryFn: () => searchAuditEvents(ctx, { ...filters, limit: AUDIT_PAGE_SIZE }),
    }),
    qc.prefetchQuery({
      queryKey: auditQueryKeys.chart(filters),
      queryFn: () => countAuditEventsOverTime(ctx, { ...filters, bucket: chartBucket(filters) }),
    }),
    qc.prefetchQuery({ queryKey: AUDIT_TRUST_QUERY_KEY, queryFn: () => getAuditTrustStatus(ctx) }),
  ]);
  await recordAdminView(ctx, "audit.view", "/admin/audit", { filter: filters });
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit trail</h1>
      <p className="text-slate-700">
        Every event the product recorded: who acted, on whose behalf, and how. Rows are hash-chained and append-only, and checkpoints of the
        chain are signed with a key the database never sees, so deleted or rewritten history shows here; this page and every export (which
        carries the newest checkpoint) are recorded too.
      </p>
      <HydrationBoundary state={dehydrate(qc)}>
        <AuditClient initialFilters={filters} adminSub={ctx.userSub} />
      </HydrationBoundary>
    </section>
  );
}
