import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { requireAdminPage } from "@/lib/auth/page-guards";
import { listWorkerStatus } from "@/lib/services/workers/list-worker-status";
import { recordAdminView } from "@/lib/services/audit/record-admin-view";
import { WORKERS_QUERY_KEY } from "@/components/admin/workers-query-key";
import { WorkersClient } from "./workers-client";
import { adminPageTitle } from "../admin-page-title";

export const generateMetadata = adminPageTitle("Workers");

export const dynamic = "force-dynamic";

/** The operator's view of the background workers, read from the heartbeats they share in the database. */
export default async function WorkersPage() {
  const ctx = await requireAdminPage();
  const qc = new QueryClient();
  qc.setQueryData(WORKERS_QUERY_KEY, await listWorkerStatus(ctx));
  await recordAdminView(ctx, "workers.view", "/admin/workers");
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Workers</h1>
      <p className="text-slate-700">
        Every worker process renews a heartbeat every few seconds and removes it when it stops cleanly; one that stops beating is shown as
        gone. Health and metrics of each worker are on its own port (see the README&apos;s Operations section).
      </p>
      <HydrationBoundary state={dehydrate(qc)}>
        <WorkersClient />
      </HydrationBoundary>
    </section>
  );
}
