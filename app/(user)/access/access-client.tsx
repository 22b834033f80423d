"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TGrantView } from "@/lib/services/grants/list-grants";
import { GrantCard } from "@/components/grants/grant-card";
import { checkGrantAction, revokeAllGrantsAction, revokeGrantAction } from "./actions";
import { useState } from "react";

async function fetchGrants(): Promise<TGrantView[]> {
  const res = await fetch("/api/grants", { cache: "no-store" });
  if (!res.ok) throw new Error(`grants: HTTP ${res.status}`);
  return (await res.json()).grants;
}

/** Live list of the user's grants: polls while anything is waiting for Keycloak, slowly otherwise. */
export function AccessClient({ initialGrants }: { initialGrants: TGrantView[] }) {
  const qc = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const { data: grants = initialGrants } = useQuery({
    queryKey: ["grants"],
    queryFn: fetchGrants,
    initialData: initialGrants,
    refetchInterval: (q) => ((q.state.data ?? []).some((g) => g.status === "revoking") ? 1000 : 5000),
  });
  const after = (r: { ok: boolean; error?: string }) => {
    setMessage(r.ok ? null : (r.error ?? "That did not work."));
    return qc.invalidateQueries({ queryKey: ["grants"] });
  };
  const revoke = useMutation({ mutationFn: (v: { grantId: string; deleteData: boolean }) => revokeGrantAction(v), onSuccess: after });
  const revokeAll = useMutation({ mutationFn: (deleteData: boolean) => revokeAllGrantsAction({ deleteData }), onSuccess: after });
  const [deleteData, setDeleteData] = useState(false);
  const check = useMutation({ mutationFn: (grantId: string) => checkGrantAction({ grantId }), onSuccess: after });
  const active = grants.filter((g) => g.status === "active");

  return (
    <div className="space-y-4">
      {message && <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">{message}</p>}
      {grants.length === 0 && <p className="text-slate-600">You have not granted the background worker any access.</p>}
      {active.length > 0 && (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => {
              if (window.confirm(`Revoke every grant? All background tasks stop, Keycloak ends the worker's offline access and forgets your consent.${deleteData ? " What the tasks collected is deleted." : ""}`)) revokeAll.mutate(deleteData);
            }}
            disabled={revokeAll.isPending}
            className="rounded border border-red-400 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50"
          >
            Revoke everything
          </button>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={deleteData} onChange={(e) => setDeleteData(e.target.checked)} />
            Also delete what the tasks collected (notes index, files inventory)
          </label>
        </div>
      )}
      <ul className="space-y-3" aria-label="Grants">
        {grants.map((g) => (
          <GrantCard
            key={g.id}
            grant={g}
            busy={revoke.isPending && revoke.variables?.grantId === g.id}
            onRevoke={() => {
              if (window.confirm(`Revoke this access? Its tasks stop, Keycloak ends the worker's offline access and forgets your consent.${deleteData ? " What the tasks collected is deleted." : ""}`)) {
                revoke.mutate({ grantId: g.id, deleteData });
              }
            }}
            onCheck={() => check.mutate(g.id)}
          />
        ))}
      </ul>
    </div>
  );
}
