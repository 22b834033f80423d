import { NextResponse } from "next/server";
import { withUser } from "@/lib/auth/with-request";
import { NO_STORE } from "@/lib/http/error-response";
import { listMyRequests } from "@/lib/services/tasks/list-my-requests";

/** Older pages of the signed-in person's "what it did for me" feed: `?cursor=` from the previous page. */
export const GET = withUser(async (ctx, req) =>
  NextResponse.json(await listMyRequests(ctx, { cursor: req.nextUrl.searchParams.get("cursor") ?? undefined }), { headers: NO_STORE }),
);
