import type { Metadata } from "next";
import { requireUserPage } from "@/lib/auth/page-guards";
import { readTaskBoard } from "@/lib/services/tasks/read-task-board";
import { listTaskOutcomes } from "@/lib/services/tasks/list-task-outcomes";
import { TasksClient } from "./tasks-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Background tasks" };

export default async function TasksPage() {
  const ctx = await requireUserPage();
  const [{ tasks, requests, olderRequestsCursor }, outcomes] = await Promise.all([readTaskBoard(ctx), listTaskOutcomes(ctx)]);
  return (
    <section className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Background tasks</h1>
        <p className="text-slate-700">
          Each task runs in the background <strong>on your behalf</strong>, with the access you granted. Every request it makes to Nextcloud
          is listed below under &quot;What it did for me&quot;.
        </p>
      </div>
      <TasksClient initialTasks={tasks} initialRequests={requests} initialOlderRequestsCursor={olderRequestsCursor} outcomes={outcomes} />
    </section>
  );
}
