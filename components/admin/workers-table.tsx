import type { TWorkerView } from "@/lib/services/workers/list-worker-status";
import { formatTime } from "@/components/ui/format-time";
import { StatusBadge } from "@/components/ui/status-badge";

/** One row per worker process that has a heartbeat row: live ones, and gone ones until they are forgotten. */
export function WorkersTable({ workers, goneAfterSeconds }: { workers: TWorkerView[]; goneAfterSeconds: number }) {
  if (workers.length === 0) {
    return (
      <p className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-900">
        No worker is running: task runs and revocations wait until one starts.
      </p>
    );
  }
  return (
    <table className="w-full text-left text-sm" aria-label="Workers">
      <thead className="border-b text-slate-600">
        <tr>
          <th className="py-2 pr-3">State</th>
          <th className="py-2 pr-3">Host</th>
          <th className="py-2 pr-3">PID</th>
          <th className="py-2 pr-3">Started</th>
          <th className="py-2 pr-3">Concurrency</th>
          <th className="py-2 pr-3">Runs in flight</th>
          <th className="py-2 pr-3">Last heartbeat</th>
        </tr>
      </thead>
      <tbody>
        {workers.map((w) => (
          <tr key={w.id} className="border-b" data-worker-pid={w.pid} data-state={w.state}>
            <td className="py-2 pr-3">
              {w.state === "live" ? (
                <StatusBadge tone="green">live</StatusBadge>
              ) : (
                <span title={`No heartbeat for more than ${goneAfterSeconds} s: the process died or lost the database.`}>
                  <StatusBadge tone="red">gone</StatusBadge>
                </span>
              )}
            </td>
            <td className="py-2 pr-3 font-mono">{w.host}</td>
            <td className="py-2 pr-3 font-mono">{w.pid}</td>
            <td className="py-2 pr-3">{formatTime(w.startedAt)}</td>
            <td className="py-2 pr-3">{w.concurrency}</td>
            <td className="py-2 pr-3">{w.runsInFlight}</td>
            <td className="py-2 pr-3">{w.beatAgeSeconds.toFixed(0)} s ago</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
