import type { TAuditEventRow } from "@/lib/services/audit/read-audit-rows";
import { formatTime } from "@/components/ui/format-time";
import { StatusBadge } from "@/components/ui/status-badge";

const OUTCOME_TONE = { success: "green", failure: "red", refused: "amber", pending: "slate" } as const;

/** The audit rows as a table: who acted, on whose behalf, what, on what, how it ended, and how. */
export function AuditTable({ rows }: { rows: TAuditEventRow[] }) {
  if (rows.length === 0) return <p className="text-slate-600">No audit events match these filters.</p>;
  return (
    <div className="overflow-x-auto rounded border bg-white">
      <table className="min-w-full text-left text-sm" aria-label="Audit events">
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            {["Time", "Actor", "On behalf of", "Action", "Resource", "Outcome", "Error code", "Mechanism"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq} className="border-t align-top" data-seq={r.seq}>
              <td className="px-3 py-2 whitespace-nowrap font-mono text-xs">{formatTime(r.at)}</td>
              <td className="px-3 py-2 break-all" title={r.actorType}>{r.actor}</td>
              <td className="px-3 py-2 break-all">{r.subject ?? "—"}</td>
              <td className="px-3 py-2 font-mono text-xs">{r.action}</td>
              <td className="px-3 py-2 break-all">{r.resource ?? "—"}</td>
              <td className="px-3 py-2">
                <StatusBadge tone={OUTCOME_TONE[r.outcome as keyof typeof OUTCOME_TONE] ?? "slate"}>{r.outcome}</StatusBadge>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{r.errorCode ?? "—"}</td>
              <td className="px-3 py-2 font-mono text-xs">{r.mechanism ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
