import type { TAuditEventRow } from "@/lib/services/audit/read-audit-rows";
import { formatTime } from "@/components/ui/format-time";
import { StatusBadge } from "@/components/ui/status-badge";

const OUTCOME_TONE = { success: "green", failure: "red", refused: "amber", pending: "slate" } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keycloak subjects are long UUIDs: show their first characters, the whole value on hover and in exports. */
function Ident({ value }: { value: string | null }) {
  if (!value) return <>—</>;
  if (!UUID.test(value)) return <span className="break-words">{value}</span>;
  return (
    <span className="font-mono text-xs whitespace-nowrap" title={value}>
      {value.slice(0, 8)}…
    </span>
  );
}

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
              <td className="px-3 py-2">
                <Ident value={r.actor} />
                <span className="block text-xs text-slate-500">{r.actorType}</span>
              </td>
              <td className="px-3 py-2"><Ident value={r.subject} /></td>
              <td className="px-3 py-2 font-mono text-xs">{r.action}</td>
              <td className="px-3 py-2 break-words">{r.resource ?? "—"}</td>
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
