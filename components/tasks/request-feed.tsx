import { describeNextcloudRequest } from "@/lib/format/describe-nextcloud-request";
import { describeMechanism } from "@/lib/format/describe-mechanism";
import { useState } from "react";
import type { TRequestPage, TRequestRow } from "@/lib/services/tasks/list-my-requests";
import { fetchJson } from "@/components/layout/fetch-json";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";

type TFeedRow = TRequestRow & ReturnType<typeof describeNextcloudRequest> & { key: string };

/**
 * Props: `rows` (the caller's newest audited Nextcloud requests, newest first, live), `olderCursor` (where the
 * next older page starts, from the same answer as `rows`; null when there is none). "What it did for me" in
 * plain words; the exact request sits in a details toggle. "Older requests" pages back through the API;
 * while looking back the list holds still (the newest page as it was), so no request is skipped or shown twice.
 */
export function RequestFeed({ rows, olderCursor }: { rows: TRequestRow[]; olderCursor: string | null }) {
  const [back, setBack] = useState<{ rows: TRequestRow[]; cursor: string | null } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cursor = back ? back.cursor : olderCursor;
  const loadOlder = async () => {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchJson<TRequestPage>(`/api/tasks/requests?cursor=${encodeURIComponent(cursor)}`);
      setBack((b) => ({ rows: [...(b?.rows ?? rows), ...page.rows], cursor: page.nextCursor }));
    } catch {
      setError("Older requests could not be loaded; try again.");
    } finally {
      setLoading(false);
    }
  };
  const feed: TFeedRow[] = (back?.rows ?? rows).map((r) => ({
    ...r,
    ...describeNextcloudRequest(r.method, r.path, r.status, r.outcome),
    key: r.seq,
  }));
  return (
    <section className="space-y-2" aria-labelledby="feed-heading">
      <h2 id="feed-heading" className="text-xl font-semibold">
        What it did for me
      </h2>
      {feed.length === 0 ? (
        <EmptyState title="Nothing yet">No request has been made to Nextcloud on your behalf. Enable a task above to start.</EmptyState>
      ) : (
        <DataTable
          label="Requests made on my behalf"
          rows={feed}
          rowKey={(r) => r.key}
          columns={[
            { header: "When", className: "md:w-32 md:whitespace-nowrap", cell: (r) => <RelativeTime iso={r.at} /> },
            { header: "Task", className: "md:w-36", cell: (r) => r.taskTitle ?? "—" },
            {
              header: "What",
              cell: (r) => (
                <details>
                  <summary className="cursor-pointer">{r.what}</summary>
                  <p className="mt-1 font-mono text-xs break-all text-slate-600">
                    {r.technical} · client {r.actor}
                  </p>
                </details>
              ),
            },
            {
              header: "Result",
              className: "md:w-36",
              cell: (r) => (
                <Badge tone={r.tone === "good" ? "good" : r.tone === "bad" ? "bad" : "neutral"} title={r.technical}>
                  {r.result}
                </Badge>
              ),
            },
            { header: "By", className: "md:w-48", cell: (r) => <span title={`Keycloak client ${r.actor}`}>{r.actorName}</span> },
            {
              header: "With",
              className: "md:w-40",
              cell: (r) => (
                <span data-testid="request-mechanism" data-mechanism={r.mechanism ?? ""}>
                  {describeMechanism(r.mechanism)}
                </span>
              ),
            },
          ]}
        />
      )}
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {cursor && (
          <Button onClick={() => void loadOlder()} disabled={loading} aria-busy={loading}>
            {loading ? "Loading…" : "Older requests"}
          </Button>
        )}
        {back && (
          <>
            <span className="text-slate-600" role="status">
              Showing {feed.length} requests{back.cursor ? "" : ", back to the first"}; the list holds still while you look back.
            </span>
            <Button variant="secondary" onClick={() => setBack(null)}>
              Back to newest
            </Button>
          </>
        )}
        {error && (
          <span role="alert" className="text-red-800">
            {error}
          </span>
        )}
      </div>
    </section>
  );
}
