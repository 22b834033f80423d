import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { after } from "next/server";
import { requireAdminPage } from "@/lib/auth/page-guards";
import { readTierStatus } from "@/lib/services/tiers/read-tier-status";
import { recordAdminView } from "@/lib/services/audit/record-admin-view";
import { TIERS_QUERY_KEY } from "@/components/admin/tier-query-key";
import { TiersClient } from "./tiers-client";
import { adminPageTitle } from "../admin-page-title";

export const dynamic = "force-dynamic";
export const generateMetadata = adminPageTitle("Delegation tier status");

/** Which delegation mechanisms work against this Keycloak today, and why service accounts are refused. */
export default async function TiersPage({ searchParams }: { searchParams: Promise<{ granted?: string }> }) {
  const ctx = await requireAdminPage();
  const list = await readTierStatus(ctx, after);
  const { granted } = await searchParams;
  const qc = new QueryClient();
  qc.setQueryData(TIERS_QUERY_KEY, list);
  await recordAdminView(ctx, "tiers.view", "/admin/tiers");
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Delegation tier status</h1>
      <p className="text-sm text-slate-700">
        Live probes against Keycloak, run through your own grant (you acting on your own behalf), every{" "}
        {Math.round(list.intervalSeconds / 60)} minutes while someone looks at this page, and on demand. Evidence shows requests and
        Keycloak&apos;s answers verbatim, and claims — never tokens.
      </p>
      <HydrationBoundary state={dehydrate(qc)}>
        <TiersClient justGranted={Boolean(granted)} />
      </HydrationBoundary>
    </section>
  );
}
