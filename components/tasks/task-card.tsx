import Link from "next/link";
import type { TTaskView } from "@/lib/services/tasks/list-tasks";
import { formatTime } from "@/components/ui/format-time";
import { StatusBadge } from "@/components/ui/status-badge";

const RUN_TONE = { queued: "slate", running: "amber", succeeded: "green", failed: "red", stopped: "red" } as const;

/** One task type: enable it, or its live state, progress, controls and run history. */
export function TaskCard({ view, onEnable, onChange }: { view: TTaskView; onEnable: () => void; onChange: (action: string) => void }) {
  const t = view.task;
  const latest = t?.runs[0];
  const running = latest && (latest.status === "running" || latest.status === "queued");
  return (
    <li className="rounded border bg-white p-4" aria-label={view.title}>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">{view.title}</h2>
        {t && <StatusBadge tone={t.status === "active" ? "green" : t.status === "paused" ? "slate" : "red"}>{t.status === "active" ? "Active" : t.status === "paused" ? "Paused" : "Revoked"}</StatusBadge>}
        <span className="ml-auto flex gap-2">
          {(!t || t.status === "revoked") &&
            (view.grantCovers ? (
              <button type="button" onClick={onEnable} className="rounded bg-blue-700 px-3 py-1 text-sm text-white">Enable</button>
            ) : (
              <Link href={`/grants/new?task=${view.type}`} className="rounded border px-3 py-1 text-sm">Grant access for {view.title}</Link>
            ))}
          {t && t.status === "active" && (
            <>
              <button type="button" onClick={() => onChange("run-now")} className="rounded bg-blue-700 px-3 py-1 text-sm text-white">Run now</button>
              <button type="button" onClick={() => onChange("pause")} className="rounded border px-3 py-1 text-sm">Pause</button>
            </>
          )}
          {t && t.status === "paused" && <button type="button" onClick={() => onChange("resume")} className="rounded border px-3 py-1 text-sm">Resume</button>}
          {t && t.status !== "revoked" && (
            <button type="button" onClick={() => onChange("revoke")} className="rounded bg-red-700 px-3 py-1 text-sm text-white">Revoke task</button>
          )}
        </span>
      </div>
      <p className="mt-1 text-sm text-slate-600">{view.description} Needs: <span className="font-mono">{view.scopes.join(" ")}</span></p>
      {t && (
        <div className="mt-3 space-y-2 text-sm">
          <p>
            Every {t.intervalMinutes} min · next run: {t.status === "active" ? formatTime(t.nextRunAt) : "—"} · last run: {formatTime(t.lastRunAt)}
            {t.stoppedReason && t.status !== "active" ? ` · ${t.stoppedReason}` : ""}
          </p>
          {latest && (
            <div aria-label="Latest run" className="space-y-1">
              <div className="flex items-center gap-2">
                <StatusBadge tone={RUN_TONE[latest.status]}>{latest.status === "stopped" ? (latest.error ?? "stopped") : latest.status}</StatusBadge>
                <span>{latest.itemsDone}{latest.itemsTotal !== null ? ` of ${latest.itemsTotal}` : ""} items</span>
              </div>
              {running && (
                <div
                  role="progressbar"
                  aria-label={`${view.title} progress`}
                  aria-valuemin={0}
                  aria-valuemax={latest.itemsTotal ?? 100}
                  aria-valuenow={latest.itemsDone}
                  className="h-2 w-full rounded bg-slate-200"
                >
                  <div className="h-2 rounded bg-blue-600" style={{ width: `${latest.itemsTotal ? Math.round((100 * latest.itemsDone) / latest.itemsTotal) : 5}%` }} />
                </div>
              )}
              {latest.summary ? <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-xs" data-testid="run-summary">{JSON.stringify(latest.summary)}</pre> : null}
              {latest.error && latest.status === "failed" && <p className="text-red-800">Error: {latest.error}</p>}
            </div>
          )}
          {t.runs.length > 1 && (
            <details>
              <summary className="cursor-pointer">History</summary>
              <ul className="mt-1 space-y-1">
                {t.runs.map((r) => (
                  <li key={r.id}>
                    {formatTime(r.finishedAt ?? r.startedAt)} — {r.status}
                    {r.durationMs !== null ? ` in ${r.durationMs} ms` : ""} — {r.itemsDone} items{r.error ? ` — ${r.error}` : ""}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </li>
  );
}
