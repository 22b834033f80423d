import { NextResponse } from "next/server";
import { checkAppReadiness } from "@/lib/health/check-app-readiness";

export const dynamic = "force-dynamic";

/**
 * Readiness for load balancers and orchestrators: 200 when the database, migrations, Keycloak discovery
 * and the vault keys all check out, 503 otherwise; each check with its latency, never a secret.
 */
export async function GET() {
  const report = await checkAppReadiness();
  return NextResponse.json(report, { status: report.status === "ready" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
