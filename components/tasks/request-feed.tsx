import { formatTime } from "@/components/ui/format-time";
import type { TRequestRow } from "@/lib/services/tasks/list-my-requests";

/** "What it did for me": every Nextcloud request made on the user's behalf, newest first. */
export function RequestFeed({ rows }: { rows: TRequestRow[] }) {
  return (
    <section className="space-y-2">
      <h2 className="text-xl font-semibold">What it did for me</h2>
      {rows.length === 0 ? (
        <p className="text-slate-600">No request has been made to Nextcloud on your behalf yet.</p>
      ) : (
        <table className="w-full border-collapse bg-white text-sm" aria-label="Requests made on my behalf">
          <thead>
            <tr className="border-b bg-slate-100 text-left">
              <th className="p-2">Time</th>
              <th className="p-2">Method</th>
              <th className="p-2">Path</th>
              <th className="p-2">Status</th>
              <th className="p-2">By</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.at}-${i}`} className="border-b">
                <td className="p-2 whitespace-nowrap">{formatTime(r.at)}</td>
                <td className="p-2 font-mono">{r.method}</td>
                <td className="p-2 font-mono break-all">{r.path}</td>
                <td className="p-2">{r.status ?? r.outcome}</td>
                <td className="p-2">{r.actor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
