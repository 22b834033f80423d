import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { authorizeMetricsRequest } from "@/lib/metrics/authorize-metrics-request";
import { renderMetrics } from "@/lib/metrics/render-metrics";

export const dynamic = "force-dynamic";

/**
 * Prometheus scrape endpoint of the app: its own counters plus the cluster gauges read from the
 * database. The app's port is public, so this requires `Authorization: Bearer <METRICS_TOKEN>` and is
 * refused (403) while METRICS_TOKEN is unset.
 */
export async function GET(req: Request) {
  const access = authorizeMetricsRequest(req.headers.get("authorization"), { token: env().METRICS_TOKEN, boundToLoopback: false });
  if (!access.ok) return NextResponse.json({ error: access.error }, { status: access.status, headers: { "cache-control": "no-store" } });
  const { contentType, body } = await renderMetrics("app");
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
