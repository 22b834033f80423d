import type { TWorkerStatus } from "@/lib/services/workers/list-worker-status";
import { DataTable } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";

function formatAge(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** Queue depth and the revocation outbox: what is waiting for a worker, and for Keycloak's confirmation. */
export function WorkersOutbox({ queue, outbox }: Pick<TWorkerStatus, "queue" | "outbox">) {
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Queue and outbox">
        <div className="rounded border p-3">
          <dt className="text-xs text-slate-600">Task runs waiting</dt>
          <dd className="text-xl font-semibold" data-testid="queue-waiting">
            {queue ? queue.created + queue.retry : "—"}
          </dd>
        </div>
        <div className="rounded border p-3">
          <dt className="text-xs text-slate-600">Task runs running</dt>
          <dd className="text-xl font-semibold" data-testid="queue-active">
            {queue ? queue.active : "—"}
          </dd>
        </div>
        <div className="rounded border p-3">
          <dt className="text-xs text-slate-600">Revocations pending</dt>
          <dd className="text-xl font-semibold" data-testid="outbox-pending">
            {outbox.pending}
          </dd>
        </div>
        <div className="rounded border p-3">
          <dt className="text-xs text-slate-600">Oldest pending</dt>
          <dd className="text-xl font-semibold" data-testid="outbox-oldest">
            {formatAge(outbox.oldestPendingAgeSeconds)}
          </dd>
        </div>
      </dl>
      <p className="text-sm text-slate-600">{outbox.confirmedLastDay} revocation(s) confirmed by Keycloak in the last 24 hours.</p>
      {outbox.rows.length > 0 && (
        <DataTable
          label="Revocation outbox"
          rows={outbox.rows}
          rowKey={(r) => r.id}
          columns={[
            { header: "User", cell: (r) => r.username },
            { header: "Requested", cell: (r) => `${formatAge(r.ageSeconds)} ago` },
            { header: "Attempts", cell: (r) => r.attempts },
            { header: "Next attempt", cell: (r) => <RelativeTime iso={r.nextAttemptAt} future /> },
            { header: "Last error", cell: (r) => <span className="break-all text-slate-700">{r.lastError ?? "—"}</span> },
          ]}
        />
      )}
    </div>
  );
}
