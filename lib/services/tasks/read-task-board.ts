import "server-only";
import type { TCtx } from "../context";
import { listMyRequests } from "./list-my-requests";
import { listTasks } from "./list-tasks";

/** The caller's tasks with live run status and their "what it did for me" feed: the tasks page and its poll. */
export async function readTaskBoard(ctx: TCtx) {
  const [tasks, feed] = await Promise.all([listTasks(ctx), listMyRequests(ctx)]);
  return { tasks, requests: feed.rows, olderRequestsCursor: feed.nextCursor };
}
