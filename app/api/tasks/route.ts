import { NextResponse } from "next/server";
import { withUser } from "@/lib/auth/with-request";
import { NO_STORE } from "@/lib/http/error-response";
import { readTaskBoard } from "@/lib/services/tasks/read-task-board";

/** The signed-in person's tasks with live run status, and their "what it did for me" feed. */
export const GET = withUser(async (ctx) => NextResponse.json(await readTaskBoard(ctx), { headers: NO_STORE }));
