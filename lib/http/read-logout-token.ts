import "server-only";
import { NextResponse } from "next/server";
import { ZCompactJwtSchema } from "../validation/z-compact-jwt-schema";

const MAX_BODY_BYTES = 32_768;
const HEADERS = { "cache-control": "no-store" } as const;

/**
 * The one `logout_token` of an OIDC back-channel logout request (a form body), shaped like a signed JWT;
 * else why not. Shared by both back-channel endpoints so they refuse the same inputs the same way.
 */
export async function readLogoutToken(req: Request): Promise<{ token: string } | { problem: string }> {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return { problem: "the request body is too large" };
  const form = await req.formData().catch(() => null);
  const values = form?.getAll("logout_token") ?? [];
  if (values.length !== 1 || typeof values[0] !== "string" || !values[0]) return { problem: "logout_token is required, once" };
  const parsed = ZCompactJwtSchema.safeParse(values[0]);
  return parsed.success ? { token: parsed.data } : { problem: `logout_token ${parsed.error.issues[0]!.message}` };
}

/** The 400 of a logout token refused before or by verification: OIDC's `invalid_request`, and our BadInput. */
export function refuseLogoutToken(problem: string): NextResponse {
  return NextResponse.json(
    { error: "invalid_request", error_description: problem, code: "BadInput", field: "logout_token" },
    { status: 400, headers: HEADERS },
  );
}

/**
 * A logout that failed for another reason: OIDC Back-Channel Logout 1.0 §2.8 answers 400 (not a 5xx
 * Keycloak might not log).
 */
export function logoutFailed(): NextResponse {
  return NextResponse.json(
    { error: "server_error", error_description: "the logout could not be processed" },
    { status: 400, headers: HEADERS },
  );
}

/** The logout was carried out. */
export function logoutDone(): NextResponse {
  return new NextResponse(null, { status: 200, headers: HEADERS });
}
