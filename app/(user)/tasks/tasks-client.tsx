"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TTaskView } from "@/lib/services/tasks/list-tasks";
import type { TNoteHit } from "@/lib/services/tasks/search-notes";
import type { TRequestRow } from "@/lib/services/tasks/list-my-requests";
import type { TTaskOutcomeDay } from "@/lib/services/tasks/list-task-outcomes";
import type { TChangeTaskInput } from "@/lib/services/tasks/change-task";
import type { TTaskType } from "@/lib/tasks/task-catalog";
import { TaskCard } from "@/components/tasks/task-card";
import { RequestFeed } from "@/components/tasks/request-feed";
import { TaskOutcomesChart } from "@/components/tasks/task-outcomes-chart";
import { fetchJson } from "@/components/layout/fetch-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { changeTaskAction, enableTaskAction, searchNotesAction } from "./actions";

type TTasksPayload = { tasks: TTaskView[]; requests: TRequestRow[]; olderRequestsCursor: string | null };

const RECEIPTS: Record<string, string> = {
  "run-now": "Run queued: it starts within a few seconds.",
  pause: "Paused: no new run starts until you resume it.",
  resume: "Resumed: it runs again on its schedule.",
  revoke: "Revoked: it makes no further request to Nextcloud and will not run again.",
  "revoke-with-grant": "Revoked, with its access at Keycloak: it makes no further request to Nextcloud and will not run again.",
};

/** Live tasks (fast polling while something runs), their controls with receipts, the outcomes chart, the request feed and note search. */
export function TasksClient({
  initialTasks,
  initialRequests,
  initialOlderRequestsCursor,
  outcomes,
}: {
  initialTasks: TTaskView[];
  initialRequests: TRequestRow[];
  initialOlderRequestsCursor: string | null;
  outcomes: TTaskOutcomeDay[];
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [message, setMessage] = useState<string | null>(null);
  const { data } = useQuery({
    queryKey: ["tasks"],
    queryFn: () => fetchJson<TTasksPayload>("/api/tasks"),
    initialData: { tasks: initialTasks, requests: initialRequests, olderRequestsCursor: initialOlderRequestsCursor },
    initialDataUpdatedAt: 0,
    refetchInterval: (q) => {
      const busy = (q.state.data?.tasks ?? []).some((t) => t.task?.runs[0] && ["queued", "running"].includes(t.task.runs[0].status));
      const due = (q.state.data?.tasks ?? []).some(
        (t) => t.task?.status === "active" && t.task.nextRunAt && Date.parse(t.task.nextRunAt) <= Date.now() + 2000,
      );
      return busy || due ? 500 : 3000;
    },
  });
  const [grantNeeded, setGrantNeeded] = useState<string | null>(null);
  const done = (r: { ok: boolean; error?: string }) => {
    setMessage(r.ok ? null : (r.error ?? "That did not work."));
    setGrantNeeded(null);
    return qc.invalidateQueries({ queryKey: ["tasks"] });
  };
  const enable = useMutation({
    mutationFn: (type: TTaskType) => enableTaskAction({ type }),
    onSuccess: async (r) => {
      await done(r);
      if (r.ok && "grantNeeded" in r.data) setGrantNeeded(r.data.grantNeeded);
      else if (r.ok) toast({ tone: "success", title: "Task enabled", description: "Its first run starts within a few seconds." });
    },
  });
  const change = useMutation({
    mutationFn: (input: {
      action: Exclude<TChangeTaskInput["action"], "interval">;
      taskId: string;
      title: string;
      revokesGrant: boolean;
    }) => changeTaskAction({ action: input.action, taskId: input.taskId }),
    onSuccess: async (r, input) => {
      await done(r);
      const receipt = input.action === "revoke" && input.revokesGrant ? "revoke-with-grant" : input.action;
      if (r.ok) toast({ tone: "success", title: input.title, description: RECEIPTS[receipt] });
    },
  });
  const [q, setQ] = useState("");
  const search = useMutation({ mutationFn: (text: string) => searchNotesAction({ q: text }) });
  const hits: TNoteHit[] = search.data?.ok ? search.data.data : [];

  return (
    <div className="space-y-8">
      {message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          {message}
        </p>
      )}
      {grantNeeded && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-3">
          Grant access first: no active grant covers this task.{" "}
          <Link className="underline" href={`/grants/new?task=${grantNeeded}`}>
            Grant access
          </Link>
        </p>
      )}
      <ul className="space-y-4" aria-label="Tasks">
        {data.tasks.map((t) => {
          // Revoking a task also revokes its grant when no other live task uses that grant (changeTask does it).
          const revokesGrant =
            !!t.task &&
            t.task.grantStatus === "active" &&
            !data.tasks.some((o) => o.task && o.type !== t.type && o.task.grantId === t.task!.grantId && o.task.status !== "revoked");
          return (
            <TaskCard
              key={t.type}
              view={t}
              revokesGrant={revokesGrant}
              onEnable={() => enable.mutate(t.type)}
              onChange={(action) => t.task && change.mutate({ action, taskId: t.task.id, title: t.title, revokesGrant })}
            />
          );
        })}
      </ul>

      <TaskOutcomesChart days={outcomes} />

      <Card className="space-y-3">
        <h2 id="search-heading" className="text-xl font-semibold">
          Search my notes
        </h2>
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (q.trim()) search.mutate(q);
          }}
        >
          <label htmlFor="note-search" className="sr-only">
            Search my notes
          </label>
          <input
            id="note-search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            className="min-w-0 flex-1 rounded border border-slate-400 px-2 py-1 sm:max-w-sm"
            placeholder="A word from one of your notes"
          />
          <Button type="submit" variant="primary">
            Search
          </Button>
        </form>
        {search.data && !search.data.ok && (
          <p role="alert" className="text-red-800">
            {search.data.error}
          </p>
        )}
        {search.isSuccess && search.data.ok && hits.length === 0 && <p role="status">No note matches.</p>}
        <ul aria-label="Search results" className="space-y-2">
          {hits.map((h) => (
            <li key={h.path} className="rounded border bg-white p-2">
              <div className="font-medium">{h.title}</div>
              <div className="text-sm text-slate-600">{h.snippet}</div>
            </li>
          ))}
        </ul>
        <p className="text-sm text-slate-600">Searches the index that the Notes index task builds; enable it above first.</p>
      </Card>

      <RequestFeed rows={data.requests} olderCursor={data.olderRequestsCursor} />
      <p className="text-sm text-slate-600">
        Need access for a task?{" "}
        <Link className="underline" href="/grants/new">
          Grant access
        </Link>
        .
      </p>
    </div>
  );
}
