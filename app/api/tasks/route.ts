import { NextResponse } from "next/server";
import { randomUUID } from "node:crypto";
import { currentUser } from "@/lib/auth/current-user";
import { listTasks } from "@/lib/services/tasks/list-tasks";
import { searchAuditEvents } from "@/lib/services/audit/search-audit-events";

/** The signed-in person's tasks with live run status, and their "what it did for me" feed. */
export async function GET() {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: "Not signed in" }, { status: 401 });
  const ctx = { userSub: user.sub, username: user.username, isAdmin: false, correlationId: randomUUID() };
  const [tasks, feed] = await Promise.all([listTasks(ctx), searchAuditEvents(ctx, { action: "nextcloud.request", limit: 25 })]);
  const requests = feed.rows.map((r) => ({ at: r.at, resource: r.resource, outcome: r.outcome, errorCode: r.errorCode, actor: r.actor }));
  return NextResponse.json({ tasks, requests }, { headers: { "cache-control": "no-store" } });
}
