import { after, NextResponse } from "next/server";
import { log } from "@/lib/logger";
import { listTierProbes } from "@/lib/services/tiers/list-tier-probes";
import { runTierProbes } from "@/lib/services/tiers/run-tier-probes";
import { errorResponse } from "../_shared/error-response";
import { NO_STORE, requireAdminRequest } from "../_shared/require-admin-request";

/**
 * The cached tier status the page polls (admins only). When the cache is older than the schedule's
 * interval, a probe run starts after the answer is sent (as the polling admin, through their own
 * grant); the next poll shows its results.
 */
export async function GET() {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  try {
    const list = await listTierProbes(ctx);
    if (list.stale) {
      after(() => runTierProbes(ctx, { trigger: "schedule" }).catch((error: unknown) => log.warn("scheduled tier probes failed", { error })));
    }
    return NextResponse.json(list, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
