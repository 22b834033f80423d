import Link from "next/link";
import type { TTierProbeView, TTierStatus } from "@/lib/services/tiers/tier-types";
import { TIER_TITLES, tierStatusLabel } from "@/lib/services/tiers/tier-types";
import { formatTime } from "@/components/ui/format-time";
import { StatusBadge } from "@/components/ui/status-badge";

const TONE: Record<TTierStatus, "green" | "amber" | "red" | "slate"> = {
  works: "green",
  refused: "amber",
  failing: "red",
  not_configured: "slate",
  rejected_by_policy: "red",
  needs_probe_grant: "amber",
  not_detected: "slate",
  not_checked: "slate",
};

/** One row per delegation mechanism: status, last checked, evidence (no tokens, only claims) and fix. */
export function TierTable({ probes }: { probes: TTierProbeView[] }) {
  return (
    <div className="overflow-x-auto rounded border bg-white">
      <table className="w-full table-fixed text-left text-sm" aria-label="Delegation mechanisms">
        <colgroup>
          <col className="w-36" />
          <col className="w-36" />
          <col />
          <col className="w-60" />
        </colgroup>
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            {["Mechanism", "Status", "Evidence", "How to fix"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {probes.map((p) => (
            <tr key={p.mechanism} className="border-t align-top" data-mechanism={p.mechanism}>
              <th scope="row" className="px-3 py-2 font-medium">{TIER_TITLES[p.mechanism]}</th>
              <td className="px-3 py-2">
                <span data-testid="tier-status">
                  <StatusBadge tone={p.mechanism === "tier0-basic-auth" && p.status === "works" ? "amber" : TONE[p.status]}>
                    {tierStatusLabel(p.mechanism, p.status)}
                  </StatusBadge>
                </span>
                <p className="mt-1 text-xs text-slate-500">Last checked</p>
                <p className="font-mono text-xs" data-testid="tier-checked-at">{formatTime(p.checkedAt)}</p>
              </td>
              <td className="px-3 py-2 break-words" data-testid="tier-evidence">
                {p.evidence.warning && (
                  <p role="alert" className="mb-1 rounded border border-red-300 bg-red-50 px-2 py-1 text-red-800">Warning: {p.evidence.warning}</p>
                )}
                <p><span className="text-slate-500">Request: </span>{p.evidence.request}</p>
                <p><span className="text-slate-500">Answer: </span><span className="font-mono text-xs">{p.evidence.response}</span></p>
                {p.evidence.claims && (
                  <pre className="mt-1 rounded bg-slate-50 p-2 text-xs break-all whitespace-pre-wrap" aria-label="Token claims">
                    {JSON.stringify(p.evidence.claims, null, 2)}
                  </pre>
                )}
                {p.evidence.notes && p.evidence.notes.length > 0 && (
                  <ul className="mt-1 list-disc pl-5 text-slate-700">
                    {p.evidence.notes.map((n) => <li key={n}>{n}</li>)}
                  </ul>
                )}
              </td>
              <td className="px-3 py-2 break-words" data-testid="tier-fix">
                {p.fix ?? "—"}
                {p.status === "needs_probe_grant" && (
                  <p className="mt-1">
                    <Link className="text-blue-700 hover:underline" href="/grants/new?task=notes-index">Grant a probe grant (as yourself)</Link>
                  </p>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
