import type { TWorkerStatus } from "@/lib/services/workers/list-worker-status";
import { formatTime } from "@/components/ui/format-time";

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
        <table className="w-full text-left text-sm" aria-label="Revocation outbox">
          <thead className="border-b text-slate-600">
            <tr>
              <th className="py-2 pr-3">User</th>
              <th className="py-2 pr-3">Requested</th>
              <th className="py-2 pr-3">Attempts</th>
              <th className="py-2 pr-3">Next attempt</th>
              <th className="py-2 pr-3">Last error</th>
            </tr>
          </thead>
          <tbody>
            {outbox.rows.map((r) => (
              <tr key={r.id} className="border-b">
                <td className="py-2 pr-3">{r.username}</td>
                <td className="py-2 pr-3">{formatAge(r.ageSeconds)} ago</td>
                <td className="py-2 pr-3">{r.attempts}</td>
                <td className="py-2 pr-3">{formatTime(r.nextAttemptAt)}</td>
                <td className="py-2 pr-3 text-slate-700">{r.lastError ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
