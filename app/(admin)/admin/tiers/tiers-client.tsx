"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { TTierProbeList } from "@/lib/services/tiers/list-tier-probes";
import { TierTable } from "@/components/admin/tier-table";
import { TIERS_QUERY_KEY } from "@/components/admin/tier-query-key";
import { runTierProbesAction } from "./actions";

async function fetchTiers(): Promise<TTierProbeList> {
  const res = await fetch("/api/admin/tiers", { cache: "no-store" });
  if (!res.ok) throw new Error(`tiers: HTTP ${res.status}`);
  return res.json();
}

/** Polls the cached tier status and runs the probes on demand. */
export function TiersClient() {
  const qc = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const { data } = useQuery({ queryKey: TIERS_QUERY_KEY, queryFn: fetchTiers, refetchInterval: 5_000 });
  const run = useMutation({
    mutationFn: () => runTierProbesAction(),
    onSuccess: (r) => {
      setMessage(r.ok ? null : r.error);
      if (r.ok) qc.setQueryData<TTierProbeList>(TIERS_QUERY_KEY, (old) => (old ? { ...old, probes: r.data.probes, stale: false } : old));
      return qc.invalidateQueries({ queryKey: TIERS_QUERY_KEY });
    },
  });
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <button
          type="button"
          onClick={() => run.mutate()}
          disabled={run.isPending}
          className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60"
        >
          {run.isPending ? "Running probes…" : "Run probes now"}
        </button>
        {run.isSuccess && run.data.ok && <span role="status" className="text-sm text-slate-600">Probes finished.</span>}
      </div>
      {message && <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">{message}</p>}
      {data && <TierTable probes={data.probes} />}
    </div>
  );
}
