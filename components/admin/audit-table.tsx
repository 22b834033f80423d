"use client";

import type { TAuditEventRow } from "@/lib/services/audit/read-audit-rows";
import type { TAuditPerson } from "@/lib/services/audit/list-audit-people";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { PersonName } from "./person-name";

const OUTCOME_TONE: Record<string, TBadgeTone> = { success: "good", failure: "bad", refused: "warn", pending: "neutral" };

/** Props: `rows` (audit events, newest first), `people` (names by Keycloak sub). Who acted, on whose behalf, what, on what, how it ended and how; a card per event on a phone. */
export function AuditTable({ rows, people }: { rows: TAuditEventRow[]; people: Record<string, TAuditPerson> }) {
  if (rows.length === 0)
    return <EmptyState title="No audit events match these filters.">Widen the time range or clear a filter.</EmptyState>;
  return (
    <DataTable
      label="Audit events"
      rows={rows}
      rowKey={(r) => r.seq}
      rowProps={(r) => ({ "data-seq": r.seq })}
      columns={[
        { header: "When", className: "md:whitespace-nowrap", cell: (r) => <RelativeTime iso={r.at} /> },
        {
          header: "Who acted",
          cell: (r) => (
            <>
              <PersonName id={r.actor} person={people[r.actor]} />
              <span className="block text-xs text-slate-600">{r.actorType}</span>
            </>
          ),
        },
        { header: "On behalf of", cell: (r) => <PersonName id={r.subject} person={r.subject ? people[r.subject] : undefined} /> },
        { header: "Action", cell: (r) => <span className="font-mono text-xs">{r.action}</span> },
        { header: "Resource", cell: (r) => <span className="[overflow-wrap:anywhere]">{r.resource ?? "—"}</span> },
        { header: "Outcome", cell: (r) => <Badge tone={OUTCOME_TONE[r.outcome] ?? "neutral"}>{r.outcome}</Badge> },
        {
          header: "How",
          cell: (r) => (
            <span className="font-mono text-xs">
              {r.mechanism ?? "—"}
              {r.errorCode && <span className="block text-red-800">{r.errorCode}</span>}
            </span>
          ),
        },
      ]}
    />
  );
}
