import { NextResponse } from "next/server";
import { withAdmin } from "@/lib/auth/with-request";
import { NO_STORE } from "@/lib/http/error-response";
import { getAuditTrustStatus } from "@/lib/services/audit/get-audit-trust-status";

/** The newest signed checkpoint, its age, and whether the trail verifies against it (admins only; polled). */
export const GET = withAdmin(async (ctx) => NextResponse.json(await getAuditTrustStatus(ctx), { headers: NO_STORE }));
