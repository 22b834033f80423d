"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { TTierProbeList } from "@/lib/services/tiers/list-tier-probes";
import { CapabilityMatrix } from "@/components/admin/capability-matrix";
import { ProbeGrantStep } from "@/components/admin/probe-grant-step";
import { TierTable } from "@/components/admin/tier-table";
import { TierVerdict } from "@/components/admin/tier-verdict";
import { TIERS_QUERY_KEY } from "@/components/admin/tier-query-key";
import { fetchJson } from "@/components/layout/fetch-json";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { runTierProbesAction } from "./actions";

/** Props: `justGranted` (the admin came back from the probe-grant consent: run the probes at once). Verdict, guided probe-grant step, and the table; polls the cached status and runs the probes on demand. */
export function TiersClient({ justGranted }: { justGranted: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [message, setMessage] = useState<string | null>(null);
  const { data } = useQuery({
    queryKey: TIERS_QUERY_KEY,
    queryFn: () => fetchJson<TTierProbeList>("/api/admin/tiers"),
    refetchInterval: 5_000,
  });
  const run = useMutation({
    mutationFn: () => runTierProbesAction({}),
    onSuccess: (r) => {
      setMessage(r.ok ? null : r.error);
      if (r.ok) qc.setQueryData<TTierProbeList>(TIERS_QUERY_KEY, (old) => (old ? { ...old, probes: r.data.probes, stale: false } : old));
      return qc.invalidateQueries({ queryKey: TIERS_QUERY_KEY });
    },
  });
  const started = useRef(false);
  useEffect(() => {
    if (!justGranted || started.current) return;
    started.current = true;
    toast({ tone: "success", title: "Probe access granted", description: "Running the probes now." });
    run.mutate();
  }, [justGranted, run, toast]);
  const waiting = data?.probes.filter((p) => p.status === "needs_probe_grant") ?? [];
  const shown = data?.probes.filter((p) => p.status !== "needs_probe_grant") ?? [];
  return (
    <div className="space-y-4">
      {data && <TierVerdict probes={data.probes} />}
      {waiting.length > 0 && <ProbeGrantStep waiting={waiting} />}
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" onClick={() => run.mutate()} disabled={run.isPending}>
          {run.isPending ? "Running probes…" : "Run probes now"}
        </Button>
        {run.isSuccess && run.data.ok && (
          <span role="status" className="text-sm text-slate-600">
            Probes finished.
          </span>
        )}
      </div>
      {message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          {message}
        </p>
      )}
      {shown.length > 0 && <TierTable probes={shown} />}
      {data && <CapabilityMatrix probes={data.probes} />}
    </div>
  );
}
