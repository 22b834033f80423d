import { NextResponse, type NextRequest } from "next/server";
import { buildSecurityHeaders } from "@/lib/security/build-security-headers";

function origin(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/**
 * Runs before every route (static build assets excepted): makes a fresh CSP nonce for the request, hands it to
 * Next.js through the request's Content-Security-Policy header (Next reads the nonce from there and puts it on
 * its scripts; pages may read it from `x-nonce`), and sets the security headers on the answer. It only adds
 * headers: authentication and permissions are checked by each route and service.
 */
export function proxy(request: NextRequest) {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const nonce = btoa(String.fromCharCode(...bytes));
  const publicUrl = process.env.NEXTAUTH_URL;
  const https =
    origin(publicUrl)?.startsWith("https://") === true ||
    request.nextUrl.protocol === "https:" ||
    request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  const keycloak = origin(process.env.KEYCLOAK_ISSUER);
  const path = request.nextUrl.pathname;
  const kind = path === "/api" || path.startsWith("/api/") ? "api" : "page";
  const headers = buildSecurityHeaders({
    kind,
    nonce,
    https,
    formTargets: keycloak ? [keycloak] : [],
    dev: process.env.NODE_ENV === "development",
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Build assets are immutable files with their own content types (next.config.ts adds nosniff to them).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
