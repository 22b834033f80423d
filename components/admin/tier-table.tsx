import type { TTierProbeView } from "@/lib/services/tiers/tier-types";
import { TIER_TITLES, tierStatusLabel } from "@/lib/services/tiers/tier-types";
import { tierTone } from "@/lib/format/describe-tiers";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";

/** Props: `probes` (the mechanisms to show; ones waiting for a probe grant are left to the guided step). One row per mechanism: status (expected outcomes coloured as expected), last checked, evidence (claims, never tokens) and fix; stacks into cards on a phone. */
export function TierTable({ probes }: { probes: TTierProbeView[] }) {
  return (
    <DataTable
      label="Delegation mechanisms"
      rows={probes}
      rowKey={(p) => p.mechanism}
      rowProps={(p) => ({ "data-mechanism": p.mechanism })}
      columns={[
        { header: "Mechanism", rowHeader: true, className: "md:w-44", cell: (p) => TIER_TITLES[p.mechanism] },
        {
          header: "Status",
          className: "md:w-40",
          cell: (p) => {
            const { tone, expected } = tierTone(p.mechanism, p.status);
            return (
              <div className="space-y-1">
                <span data-testid="tier-status">
                  <Badge tone={tone}>{tierStatusLabel(p.mechanism, p.status)}</Badge>
                </span>
                {expected && <p className="text-xs text-sky-900">As intended</p>}
                <p className="text-xs text-slate-600">
                  Checked <RelativeTime iso={p.checkedAt} />
                </p>
              </div>
            );
          },
        },
        {
          header: "Evidence",
          cell: (p) => (
            <div data-testid="tier-evidence" className="space-y-1">
              {p.evidence.warning && (
                <p role="alert" className="rounded border border-red-300 bg-red-50 px-2 py-1 text-red-800">
                  Warning: {p.evidence.warning}
                </p>
              )}
              <p>
                <span className="text-slate-600">Request: </span>
                {p.evidence.request}
              </p>
              <p>
                <span className="text-slate-600">Answer: </span>
                <span className="font-mono text-xs break-all">{p.evidence.response}</span>
              </p>
              {p.evidence.claims && (
                <details>
                  <summary className="cursor-pointer text-slate-700">Token claims</summary>
                  <pre className="mt-1 rounded bg-slate-50 p-2 text-xs break-all whitespace-pre-wrap" aria-label="Token claims">
                    {JSON.stringify(p.evidence.claims, null, 2)}
                  </pre>
                </details>
              )}
              {p.evidence.notes && p.evidence.notes.length > 0 && (
                <ul className="list-disc pl-5 text-slate-700">
                  {p.evidence.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              )}
            </div>
          ),
        },
        { header: "How to fix", className: "md:w-64", cell: (p) => <div data-testid="tier-fix">{p.fix ?? "—"}</div> },
      ]}
    />
  );
}
