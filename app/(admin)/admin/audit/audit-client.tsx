"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import type { TChainVerification } from "@/lib/audit/verify-chain";
import type { TCountAuditEventsOverTimeResult } from "@/lib/services/audit/count-audit-events-over-time";
import type { TSearchAuditEventsResult } from "@/lib/services/audit/search-audit-events";
import { AuditChart } from "@/components/admin/audit-chart";
import { AuditFilterForm } from "@/components/admin/audit-filter-form";
import { auditQueryKeys, auditQueryString, type TAuditFilterValues } from "@/components/admin/audit-filters";
import { AuditTable } from "@/components/admin/audit-table";
import { ChainBadge } from "@/components/admin/chain-badge";
import { AuditTrustPanel } from "@/components/admin/audit-trust-panel";
import { WitnessUpload } from "@/components/admin/witness-upload";
import type { TAuditTrustStatus } from "@/lib/services/audit/get-audit-trust-status";
import { AUDIT_TRUST_QUERY_KEY } from "@/components/admin/audit-trust-query-key";
import { signAuditCheckpointAction } from "./actions";
import { hideOwnPageViews } from "@/components/admin/hide-own-page-views";
import { fetchJson as getJson } from "@/components/layout/fetch-json";

/** Filters, chart, chain badge, keyset pages ("Older"/"Newer") and filtered exports of the audit trail; the admin's own page views are folded away unless asked for. */
export function AuditClient({ initialFilters, adminSub }: { initialFilters: TAuditFilterValues; adminSub: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setFilters] = useState<TAuditFilterValues>(initialFilters);
  // Cursors of the pages above the current one; the last entry is the current page's cursor.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const [showOwnViews, setShowOwnViews] = useState(false);

  const page = useQuery({
    queryKey: auditQueryKeys.page(filters, cursor),
    queryFn: () => getJson<TSearchAuditEventsResult>(`/api/admin/audit?${auditQueryString(filters, { cursor })}`),
    placeholderData: keepPreviousData,
  });
  const chart = useQuery({
    queryKey: auditQueryKeys.chart(filters),
    queryFn: () => getJson<TCountAuditEventsOverTimeResult>(`/api/admin/audit/chart?${auditQueryString(filters)}`),
  });
  const verify = useQuery({
    queryKey: ["admin-audit", "verify"],
    queryFn: () => getJson<TChainVerification>("/api/admin/audit/verify"),
    enabled: false,
    staleTime: Infinity,
  });

  const qc = useQueryClient();
  const trust = useQuery({
    queryKey: AUDIT_TRUST_QUERY_KEY,
    queryFn: () => getJson<TAuditTrustStatus>("/api/admin/audit/checkpoint"),
    refetchInterval: 15_000,
  });
  const [signMessage, setSignMessage] = useState<string | null>(null);
  const sign = useMutation({
    mutationFn: () => signAuditCheckpointAction({}),
    onSuccess: (r) => {
      if (!r.ok) setSignMessage(r.error);
      else if (r.data.status === "refused") setSignMessage(`Refused to sign: ${r.data.reason}`);
      else setSignMessage(r.data.status === "signed" ? `Signed a checkpoint up to seq ${r.data.headSeq}.` : "Nothing new to sign.");
      return qc.invalidateQueries({ queryKey: AUDIT_TRUST_QUERY_KEY });
    },
  });

  const apply = (next: TAuditFilterValues) => {
    setFilters(next);
    setCursors([null]);
    const qs = auditQueryString(next);
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  return (
    <div className="space-y-4">
      <AuditTrustPanel status={trust.data} error={trust.error?.message ?? null} />
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => sign.mutate()}
          disabled={sign.isPending}
          className="rounded border px-3 py-1.5 text-sm enabled:hover:bg-slate-100 disabled:opacity-40"
        >
          {sign.isPending ? "Signing…" : "Sign checkpoint now"}
        </button>
        {signMessage && (
          <span role="status" className="text-sm text-slate-700">
            {signMessage}
          </span>
        )}
      </div>
      <WitnessUpload />
      <AuditFilterForm initial={initialFilters} onApply={apply} />
      <AuditChart data={chart.data} />
      <div className="flex flex-wrap items-center gap-3">
        <ChainBadge result={verify.data} checking={verify.isFetching} error={verify.error?.message ?? null} />
        <button type="button" onClick={() => void verify.refetch()} className="rounded border px-3 py-1.5 text-sm hover:bg-slate-100">
          Verify chain
        </button>
        <span className="ml-auto flex gap-2">
          <a
            className="rounded border px-3 py-1.5 text-sm hover:bg-slate-100"
            href={`/api/admin/audit/export?${auditQueryString(filters, { format: "csv" })}`}
            download
          >
            Export CSV
          </a>
          <a
            className="rounded border px-3 py-1.5 text-sm hover:bg-slate-100"
            href={`/api/admin/audit/export?${auditQueryString(filters, { format: "json" })}`}
            download
          >
            Export JSON
          </a>
        </span>
      </div>
      {page.error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          {page.error.message}
        </p>
      )}
      {page.data &&
        (() => {
          const { rows, hidden } = hideOwnPageViews(page.data.rows, adminSub, showOwnViews);
          return (
            <>
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" checked={showOwnViews} onChange={(e) => setShowOwnViews(e.target.checked)} />
                Show my own page views{!showOwnViews && hidden > 0 ? ` (${hidden} hidden on this page)` : ""}
              </label>
              {/* While new filters load, the previous rows stay on screen: say so to assistive technology (and tests). */}
              <div data-testid="audit-results" aria-busy={page.isPlaceholderData}>
                <AuditTable rows={rows} people={page.data.people ?? {}} />
              </div>
            </>
          );
        })()}
      <nav aria-label="Audit pages" className="flex items-center gap-2">
        <button
          type="button"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
          className="rounded border px-3 py-1.5 text-sm enabled:hover:bg-slate-100 disabled:opacity-40"
        >
          Newer
        </button>
        <button
          type="button"
          disabled={!page.data?.nextCursor || page.isPlaceholderData}
          onClick={() => page.data?.nextCursor && setCursors((c) => [...c, page.data.nextCursor])}
          className="rounded border px-3 py-1.5 text-sm enabled:hover:bg-slate-100 disabled:opacity-40"
        >
          Older
        </button>
        <span className="text-sm text-slate-600">Page {cursors.length}</span>
      </nav>
    </div>
  );
}
