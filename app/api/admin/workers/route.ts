import { NextResponse } from "next/server";
import { withAdmin } from "@/lib/auth/with-request";
import { NO_STORE } from "@/lib/http/error-response";
import { listWorkerStatus } from "@/lib/services/workers/list-worker-status";

/** The Workers page's poll (admins only): live and gone workers, queue depth and the revocation outbox. */
export const GET = withAdmin(async (ctx) => NextResponse.json(await listWorkerStatus(ctx), { headers: NO_STORE }));
