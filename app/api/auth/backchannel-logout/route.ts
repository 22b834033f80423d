import { NextResponse } from "next/server";
import { handleDashboardLogout } from "@/lib/auth/handle-dashboard-logout";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/logger";

/** OIDC Back-Channel Logout endpoint of the dashboard client (called by Keycloak, server to server). */
export async function POST(req: Request) {
  const headers = { "cache-control": "no-store" };
  const form = await req.formData().catch(() => null);
  const token = form?.get("logout_token");
  if (typeof token !== "string" || !token || token.length > 16_384) {
    return NextResponse.json({ error: "invalid_request", error_description: "logout_token is required" }, { status: 400, headers });
  }
  try {
    await handleDashboardLogout(token);
    return new NextResponse(null, { status: 200, headers });
  } catch (error) {
    if (error instanceof AppError && error.code === "BadInput") {
      return NextResponse.json({ error: "invalid_request", error_description: error.message }, { status: 400, headers });
    }
    log.error("dashboard back-channel logout failed", { error });
    // OIDC Back-Channel Logout 1.0 §2.8: a logout that failed answers 400 (not a 5xx Keycloak might not log).
    return NextResponse.json({ error: "server_error", error_description: "the logout could not be processed" }, { status: 400, headers });
  }
}
