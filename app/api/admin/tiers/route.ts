import { after, NextResponse } from "next/server";
import { withAdmin } from "@/lib/auth/with-request";
import { NO_STORE } from "@/lib/http/error-response";
import { readTierStatus } from "@/lib/services/tiers/read-tier-status";

/** The cached tier status the page polls (admins only); a stale cache starts a probe run after the answer. */
export const GET = withAdmin(async (ctx) => NextResponse.json(await readTierStatus(ctx, after), { headers: NO_STORE }));
