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
  const revoke = useMutation({ mutationFn: (grantId: string) => revokeGrantAction({ grantId }), onSuccess: after });
  const revokeAll = useMutation({ mutationFn: () => revokeAllGrantsAction(), onSuccess: after });
  const check = useMutation({ mutationFn: (grantId: string) => checkGrantAction({ grantId }), onSuccess: after });
  const active = grants.filter((g) => g.status === "active");

  return (
    <div className="space-y-4">
      {message && <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">{message}</p>}
      {grants.length === 0 && <p className="text-slate-600">You have not granted the background worker any access.</p>}
      {active.length > 0 && (
        <button
          type="button"
          onClick={() => {
            if (window.confirm("Revoke every grant? All background tasks stop.")) revokeAll.mutate();
          }}
          disabled={revokeAll.isPending}
          className="rounded border border-red-400 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50"
        >
          Revoke everything
        </button>
      )}
      <ul className="space-y-3" aria-label="Grants">
        {grants.map((g) => (
          <GrantCard
            key={g.id}
            grant={g}
            busy={revoke.isPending && revoke.variables === g.id}
            onRevoke={() => revoke.mutate(g.id)}
            onCheck={() => check.mutate(g.id)}
          />
        ))}
      </ul>
    </div>
  );
}
