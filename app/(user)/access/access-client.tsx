"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { TGrantView } from "@/lib/services/grants/list-grants";
import { GrantCard } from "@/components/grants/grant-card";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { useToast } from "@/components/ui/toast";
import { checkGrantAction, revokeAllGrantsAction, revokeGrantAction } from "./actions";

async function fetchGrants(): Promise<TGrantView[]> {
  const res = await fetch("/api/grants", { cache: "no-store" });
  if (!res.ok) throw new Error(`grants: HTTP ${res.status}`);
  return (await res.json()).grants;
}

const RECENT_MS = 24 * 3_600_000;

/** What a revoke does, said before it happens. */
export function revokeConsequences(deleteData: boolean, mechanism: TGrantView["mechanism"] = "offline_access") {
  return (
    <>
      <p>The worker stops at once: its tasks stop before their next request to Nextcloud.</p>
      {mechanism === "app_password" ? (
        <p>Nextcloud deletes the app password (it disappears from Devices &amp; sessions); a request with it afterwards must answer 401.</p>
      ) : (
        <p>Keycloak ends the worker&apos;s offline access and forgets your consent (its account console will no longer list the worker).</p>
      )}
      <p>
        {deleteData
          ? "What the tasks collected (notes index, files inventory) is deleted."
          : "What the tasks collected is kept; tick “Also delete” to remove it."}
      </p>
      <p>You get a receipt with {mechanism === "app_password" ? "Nextcloud" : "Keycloak"}&apos;s proof.</p>
    </>
  );
}

/** Live list of the user's grants: polls while anything is waiting for Keycloak, slowly otherwise. */
export function AccessClient({ initialGrants }: { initialGrants: TGrantView[] }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [message, setMessage] = useState<string | null>(null);
  const [deleteData, setDeleteData] = useState(false);
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
  const revokeAll = useMutation({ mutationFn: (del: boolean) => revokeAllGrantsAction({ deleteData: del }), onSuccess: after });
  const check = useMutation({
    mutationFn: (grantId: string) => checkGrantAction({ grantId }),
    onSuccess: (r) => {
      if (!r.ok) toast({ tone: "error", title: "Check failed", description: r.error });
      else if (r.data.active) toast({ tone: "success", title: "Access checked: still active", description: "Keycloak still honours it." });
      else toast({ tone: "error", title: "Access checked: ended", description: "Keycloak no longer honours it; its tasks stopped." });
      return after(r);
    },
    onError: () => toast({ tone: "error", title: "Check failed", description: "The dashboard could not be reached; try again." }),
  });
  const active = grants.filter((g) => g.status === "active");
  // Current access first; ended grants of the last day stay in sight (their receipts), older ones fold away.
  const current = grants.filter((g) => g.status === "active" || g.status === "revoking");
  const ended = grants.filter((g) => !current.includes(g));
  const recentCutoff = Date.now() - RECENT_MS;
  const recent = ended.filter((g) => Date.parse(g.revokedAt ?? g.grantedAt) >= recentCutoff);
  const older = ended.filter((g) => !recent.includes(g));
  const card = (g: TGrantView) => (
    <GrantCard
      key={g.id}
      grant={g}
      busy={revoke.isPending && revoke.variables?.grantId === g.id}
      checking={check.isPending && check.variables === g.id}
      revokeDescription={revokeConsequences(deleteData, g.mechanism)}
      onRevoke={() => revoke.mutate({ grantId: g.id, deleteData })}
      onCheck={() => check.mutate(g.id)}
    />
  );

  return (
    <div className="space-y-4">
      {message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          {message}
        </p>
      )}
      {grants.length === 0 && <EmptyState title="No access granted">You have not granted the background worker any access.</EmptyState>}
      {active.length > 0 && (
        <div className="flex flex-wrap items-center gap-3">
          <ConfirmDialog
            trigger={
              <Button variant="secondary" disabled={revokeAll.isPending} className="border-red-400 text-red-800">
                Revoke everything
              </Button>
            }
            title="Revoke all background access?"
            description={revokeConsequences(deleteData)}
            confirmLabel="Revoke everything"
            onConfirm={() => revokeAll.mutate(deleteData)}
          />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={deleteData} onChange={(e) => setDeleteData(e.target.checked)} />
            Also delete what the tasks collected (notes index, files inventory)
          </label>
        </div>
      )}
      {current.length > 0 && (
        <ul className="space-y-3" aria-label="Current access">
          {current.map(card)}
        </ul>
      )}
      {ended.length > 0 && (
        <section aria-labelledby="ended-heading" className="space-y-3">
          <h2 id="ended-heading" className="text-lg font-semibold">
            Ended grants
          </h2>
          {recent.length > 0 && (
            <ul className="space-y-3" aria-label="Ended in the last day">
              {recent.map(card)}
            </ul>
          )}
          {older.length > 0 && (
            <details className="rounded border bg-white p-3" data-testid="older-ended-grants">
              <summary className="cursor-pointer text-sm font-medium">
                {older.length} older ended grant{older.length === 1 ? "" : "s"}
              </summary>
              <ul className="mt-3 space-y-3" aria-label="Older ended grants">
                {older.map(card)}
              </ul>
            </details>
          )}
        </section>
      )}
    </div>
  );
}
