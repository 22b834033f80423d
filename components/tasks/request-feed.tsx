import { describeNextcloudRequest } from "@/lib/format/describe-nextcloud-request";
import { describeMechanism } from "@/lib/format/describe-mechanism";
import type { TRequestRow } from "@/lib/services/tasks/list-my-requests";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";

type TFeedRow = TRequestRow & ReturnType<typeof describeNextcloudRequest> & { key: string };

/** Props: `rows` (the caller's audited Nextcloud requests, newest first). "What it did for me" in plain words; the exact request sits in a details toggle. */
export function RequestFeed({ rows }: { rows: TRequestRow[] }) {
  const feed: TFeedRow[] = rows.map((r, i) => ({
    ...r,
    ...describeNextcloudRequest(r.method, r.path, r.status, r.outcome),
    key: `${r.at}-${i}`,
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
    </section>
  );
}
