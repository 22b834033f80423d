import type { TTierProbeView } from "@/lib/services/tiers/tier-types";
import { NEXTCLOUD_API_TITLES, NEXTCLOUD_APIS, TIER_TITLES } from "@/lib/services/tiers/tier-types";
import { Badge } from "@/components/ui/badge";

/**
 * Props: `probes` (every tier row; those that probed Nextcloud carry `evidence.capabilities`). The live
 * capability matrix: which Nextcloud APIs accepted each configured mechanism's credential, with
 * Nextcloud's verbatim HTTP status (2xx accepted, 401/403 refused), probed with the admin's own grants.
 */
export function CapabilityMatrix({ probes }: { probes: TTierProbeView[] }) {
  const rows = probes.filter((p) => p.evidence.capabilities && p.evidence.capabilities.length > 0);
  return (
    <section aria-labelledby="capability-heading" className="space-y-2">
      <h2 id="capability-heading" className="text-xl font-semibold">
        What Nextcloud accepts, per mechanism
      </h2>
      <p className="text-sm text-slate-700">
        Each cell is Nextcloud&apos;s HTTP status to one read-only request made with that mechanism&apos;s credential — your own grants,
        never another person&apos;s. With <code>user_oidc</code>, bearer tokens reach OCS and WebDAV only; an app password reaches every API
        the account can.
      </p>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">
          No mechanism has reached Nextcloud yet: run the probes (they need your own grant or app password).
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse rounded border bg-white text-sm" aria-label="Capability matrix">
            <thead>
              <tr className="border-b bg-slate-100 text-left">
                <th scope="col" className="p-2">
                  Mechanism
                </th>
                {NEXTCLOUD_APIS.map((api) => (
                  <th key={api} scope="col" className="p-2">
                    {NEXTCLOUD_API_TITLES[api]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.mechanism} className="border-b align-top" data-capability-row={p.mechanism}>
                  <th scope="row" className="p-2 text-left font-medium">
                    {p.mechanism === "tier2-token-exchange" ? "Offline token → exchanged bearer (Tier 2)" : TIER_TITLES[p.mechanism]}
                  </th>
                  {NEXTCLOUD_APIS.map((api) => {
                    const c = p.evidence.capabilities!.find((x) => x.api === api);
                    const ok = c?.status !== null && c?.status !== undefined && c.status >= 200 && c.status < 300;
                    const refused = c?.status === 401 || c?.status === 403;
                    return (
                      <td key={api} className="p-2" data-api={api} title={c ? `${c.request} → ${c.answer}` : undefined}>
                        {c ? (
                          <Badge tone={ok ? "good" : refused ? "bad" : "neutral"}>
                            <span data-testid="capability-status">{c.status ?? "no answer"}</span>
                            {ok ? " accepted" : refused ? " refused" : ""}
                          </Badge>
                        ) : (
                          "—"
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
