import { NextResponse } from "next/server";
import { withUser } from "@/lib/auth/with-request";
import { NO_STORE } from "@/lib/http/error-response";
import { listGrants } from "@/lib/services/grants/list-grants";

/** The signed-in person's grants, polled by the My access page. */
export const GET = withUser(async (ctx) => NextResponse.json({ grants: await listGrants(ctx) }, { headers: NO_STORE }));
