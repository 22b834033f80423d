"use client";

import { useQuery } from "@tanstack/react-query";
import type { TWorkerStatus } from "@/lib/services/workers/list-worker-status";
import { WORKERS_QUERY_KEY } from "@/components/admin/workers-query-key";
import { WorkersOutbox } from "@/components/admin/workers-outbox";
import { WorkersTable } from "@/components/admin/workers-table";
import { formatTime } from "@/components/ui/format-time";

async function fetchWorkers(): Promise<TWorkerStatus> {
  const res = await fetch("/api/admin/workers", { cache: "no-store" });
  if (!res.ok) throw new Error(`workers: HTTP ${res.status}`);
  return res.json();
}

/** Polls the workers' heartbeats, the queue and the outbox every two seconds. */
export function WorkersClient() {
  const { data, isError } = useQuery({ queryKey: WORKERS_QUERY_KEY, queryFn: fetchWorkers, refetchInterval: 2_000 });
  if (!data) return null;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600" role="status">
        As of {formatTime(data.checkedAt)}
        {isError ? " — the last refresh failed; retrying" : ""}
      </p>
      <WorkersTable workers={data.workers} goneAfterSeconds={data.goneAfterSeconds} />
      <h2 className="text-lg font-semibold">Queue and revocation outbox</h2>
      <WorkersOutbox queue={data.queue} outbox={data.outbox} />
    </div>
  );
}
