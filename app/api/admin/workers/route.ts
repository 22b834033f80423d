import { NextResponse } from "next/server";
import { listWorkerStatus } from "@/lib/services/workers/list-worker-status";
import { errorResponse } from "../_shared/error-response";
import { NO_STORE, requireAdminRequest } from "../_shared/require-admin-request";

/** The Workers page's poll (admins only): live and gone workers, queue depth and the revocation outbox. */
export async function GET() {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  try {
    return NextResponse.json(await listWorkerStatus(ctx), { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
