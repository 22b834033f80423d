import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

const started = Date.now();

/** Liveness: the server process answers. Touches nothing else, so it stays cheap and never flaps. */
export function GET() {
  return NextResponse.json(
    { status: "live", uptimeSeconds: Math.round((Date.now() - started) / 1000) },
    { headers: { "cache-control": "no-store" } },
  );
}
