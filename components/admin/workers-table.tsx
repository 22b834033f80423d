import type { TWorkerView } from "@/lib/services/workers/list-worker-status";
import { DataTable } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
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
    <DataTable
      label="Workers"
      rows={workers}
      rowKey={(w) => w.id}
      rowProps={(w) => ({ "data-worker-pid": String(w.pid), "data-state": w.state })}
      columns={[
        {
          header: "State",
          cell: (w) =>
            w.state === "live" ? (
              <StatusBadge tone="green">live</StatusBadge>
            ) : (
              <span title={`No heartbeat for more than ${goneAfterSeconds} s: the process died or lost the database.`}>
                <StatusBadge tone="red">gone</StatusBadge>
              </span>
            ),
        },
        { header: "Host", cell: (w) => <span className="font-mono break-all">{w.host}</span> },
        { header: "PID", cell: (w) => <span className="font-mono">{w.pid}</span> },
        { header: "Started", cell: (w) => <RelativeTime iso={w.startedAt} /> },
        { header: "Concurrency", cell: (w) => w.concurrency },
        { header: "Runs in flight", cell: (w) => w.runsInFlight },
        { header: "Last heartbeat", cell: (w) => `${w.beatAgeSeconds.toFixed(0)} s ago` },
      ]}
    />
  );
}
