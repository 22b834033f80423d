"use client";

import Link from "next/link";
import type { TRunView, TTaskView } from "@/lib/services/tasks/list-tasks";
import { SCOPE_CATALOG } from "@/lib/tasks/task-catalog";
import { describeProgress, describeRunSummary } from "@/lib/format/describe-run-summary";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/relative-time";

const RUN_TONE: Record<TRunView["status"], TBadgeTone> = {
  queued: "neutral",
  running: "warn",
  succeeded: "good",
  failed: "bad",
  stopped: "neutral",
};
const RUN_WORDS: Record<TRunView["status"], string> = {
  queued: "waiting to start",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  stopped: "stopped",
};

function runWords(r: TRunView): string {
  return r.status === "stopped" ? (r.error ?? "stopped") : RUN_WORDS[r.status];
}

function seconds(ms: number | null): string {
  if (ms === null) return "";
  return ms < 1000 ? " in under a second" : ` in ${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Props: `view` (a task type with the caller's task, if any), `revokesGrant` (revoking also revokes the access: no other task uses it), `onEnable`, `onChange(action)` (run-now | pause | resume | revoke). One card: state, controls (revoking asks first and says what follows), progress, a plain-words summary and history. */
export function TaskCard({
  view,
  revokesGrant,
  onEnable,
  onChange,
}: {
  view: TTaskView;
  revokesGrant: boolean;
  onEnable: () => void;
  onChange: (action: "run-now" | "pause" | "resume" | "revoke") => void;
}) {
  const t = view.task;
  const latest = t?.runs[0];
  const running = latest && (latest.status === "running" || latest.status === "queued");
  return (
    <Card as="li" aria-label={view.title} className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h2 className="text-lg font-semibold">{view.title}</h2>
        {t && (
          <Badge tone={t.status === "active" ? "good" : "neutral"}>
            {t.status === "active" ? "Active" : t.status === "paused" ? "Paused" : "Revoked"}
          </Badge>
        )}
        <span className="flex flex-wrap gap-2 sm:ml-auto">
          {(!t || t.status === "revoked") &&
            (view.grantCovers ? (
              <Button variant="primary" onClick={onEnable}>
                {t ? "Enable again" : "Enable"}
              </Button>
            ) : (
              <Button asChild>
                <Link href={`/grants/new?task=${view.type}`}>Grant access for {view.title}</Link>
              </Button>
            ))}
          {t?.status === "active" && (
            <>
              <Button variant="primary" onClick={() => onChange("run-now")}>
                Run now
              </Button>
              <Button onClick={() => onChange("pause")}>Pause</Button>
            </>
          )}
          {t?.status === "paused" && <Button onClick={() => onChange("resume")}>Resume</Button>}
          {t && t.status !== "revoked" && (
            <ConfirmDialog
              trigger={<Button variant="danger">Revoke task</Button>}
              title={`Revoke the ${view.title} task?`}
              description={
                <>
                  <p>The task stops now. A run in progress ends before its next request to Nextcloud, and no new run starts.</p>
                  {revokesGrant ? (
                    <p>
                      No other task uses the access you granted for it, so that access is <strong>revoked at Keycloak too</strong>. To use
                      the task again you will grant access again. Its history stays on this page.
                    </p>
                  ) : (
                    <p>
                      Another task still uses the same access, so your grant stays as it is (manage it under My access). Its history stays
                      on this page.
                    </p>
                  )}
                </>
              }
              confirmLabel="Revoke task"
              onConfirm={() => onChange("revoke")}
            />
          )}
        </span>
      </div>
      <p className="text-sm text-slate-600">
        {view.description} Needs your permission to:{" "}
        {view.scopes.map((s, i) => (
          <span key={s} title={`Keycloak scope ${s}`}>
            {i > 0 ? ", " : ""}
            {SCOPE_CATALOG[s]?.label.toLowerCase() ?? s}
          </span>
        ))}
        .
      </p>
      {t && (
        <div className="space-y-2 text-sm">
          <p className="text-slate-700">
            Runs every {t.intervalMinutes} min
            {t.status === "active" && (
              <>
                {" "}
                · next run <RelativeTime iso={t.nextRunAt} future />
              </>
            )}{" "}
            · last run <RelativeTime iso={t.lastRunAt} />
            {t.stoppedReason && t.status !== "active" ? ` · ${t.stoppedReason}` : ""}
          </p>
          {latest && (
            <div aria-label="Latest run" className="space-y-1 rounded border border-slate-200 bg-slate-50 p-2">
              <div className="flex flex-wrap items-center gap-2">
                <span className="text-slate-600">Latest run:</span>
                <Badge tone={RUN_TONE[latest.status]}>{runWords(latest)}</Badge>
                {latest.finishedAt && <RelativeTime iso={latest.finishedAt} className="text-slate-600" />}
              </div>
              {running && (
                <>
                  <p>{describeProgress(view.type, latest.itemsDone, latest.itemsTotal)}</p>
                  <div
                    role="progressbar"
                    aria-label={`${view.title} progress`}
                    aria-valuemin={0}
                    aria-valuemax={latest.itemsTotal ?? 100}
                    aria-valuenow={latest.itemsDone}
                    className="h-2 w-full rounded bg-slate-200"
                  >
                    <div
                      className="h-2 rounded bg-blue-600"
                      style={{ width: `${latest.itemsTotal ? Math.round((100 * latest.itemsDone) / latest.itemsTotal) : 5}%` }}
                    />
                  </div>
                </>
              )}
              {latest.status === "succeeded" && <p data-testid="run-summary">{describeRunSummary(view.type, latest.summary)}</p>}
              {latest.error && latest.status === "failed" && <p className="text-red-800">What went wrong: {latest.error}</p>}
            </div>
          )}
          {t.runs.length > 1 && (
            <details>
              <summary className="cursor-pointer text-slate-700">Earlier runs ({t.runs.length - 1})</summary>
              <ul className="mt-1 space-y-1">
                {t.runs.slice(1).map((r) => (
                  <li key={r.id} className="flex flex-wrap gap-x-2">
                    <RelativeTime iso={r.finishedAt ?? r.startedAt} className="text-slate-600" />
                    <span>
                      {runWords(r)}
                      {seconds(r.durationMs)}
                      {r.status === "succeeded" ? ` — ${describeRunSummary(view.type, r.summary)}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </Card>
  );
}
