import { NextResponse } from "next/server";
import { randomUUID } from "node:crypto";
import { currentUser } from "@/lib/auth/current-user";
import { listTasks } from "@/lib/services/tasks/list-tasks";
import { listMyRequests } from "@/lib/services/tasks/list-my-requests";

/** The signed-in person's tasks with live run status, and their "what it did for me" feed. */
export async function GET() {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: "Not signed in" }, { status: 401 });
  const ctx = { userSub: user.sub, username: user.username, isAdmin: false, correlationId: randomUUID() };
  const [tasks, requests] = await Promise.all([listTasks(ctx), listMyRequests(ctx)]);
  return NextResponse.json({ tasks, requests }, { headers: { "cache-control": "no-store" } });
}
