import { NextResponse } from "next/server";
import { handleBackchannelLogout } from "@/lib/services/grants/handle-backchannel-logout";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/logger";
import { ZCompactJwtSchema } from "@/lib/validation/z-compact-jwt-schema";

const MAX_BODY_BYTES = 32_768;

/** The one `logout_token` of an OIDC back-channel logout request, shaped like a signed JWT; else why not. */
async function readLogoutToken(req: Request): Promise<{ token: string } | { problem: string }> {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return { problem: "the request body is too large" };
  const form = await req.formData().catch(() => null);
  const values = form?.getAll("logout_token") ?? [];
  if (values.length !== 1 || typeof values[0] !== "string" || !values[0]) return { problem: "logout_token is required, once" };
  const parsed = ZCompactJwtSchema.safeParse(values[0]);
  return parsed.success ? { token: parsed.data } : { problem: `logout_token ${parsed.error.issues[0]!.message}` };
}

/** OIDC Back-Channel Logout endpoint of the worker client (called by Keycloak, server to server). */
export async function POST(req: Request) {
  const headers = { "cache-control": "no-store" };
  const read = await readLogoutToken(req);
  if ("problem" in read) {
    return NextResponse.json(
      { error: "invalid_request", error_description: read.problem, code: "BadInput", field: "logout_token" },
      { status: 400, headers },
    );
  }
  try {
    await handleBackchannelLogout(read.token);
    return new NextResponse(null, { status: 200, headers });
  } catch (error) {
    if (error instanceof AppError && error.code === "BadInput") {
      return NextResponse.json(
        { error: "invalid_request", error_description: error.message, code: "BadInput", field: "logout_token" },
        { status: 400, headers },
      );
    }
    log.error("back-channel logout failed", { error });
    // OIDC Back-Channel Logout 1.0 §2.8: a logout that failed answers 400 (not a 5xx Keycloak might not log).
    return NextResponse.json({ error: "server_error", error_description: "the logout could not be processed" }, { status: 400, headers });
  }
}
