import { NextResponse } from "next/server";
import { cookies } from "next/headers";
import { currentUser } from "@/lib/auth/current-user";
import { toRequestCtx } from "@/lib/auth/request-context";
import { completeGrant } from "@/lib/services/grants/complete-grant";
import { openPendingConsent, PENDING_CONSENT_COOKIE } from "@/lib/services/grants/pending-consent-cookie";
import { env } from "@/lib/env";
import { GRANT_RETURN_COOKIE, pickGrantReturnTo } from "@/lib/format/grant-return-to";

/**
 * Keycloak redirects here after the consent screen. The pending-consent cookie is consumed on every
 * visit (one use), so a replayed or forged callback finds nothing to complete and stores nothing.
 */
export async function GET(req: Request) {
  const base = env().NEXTAUTH_URL;
  const jar = await cookies();
  const pending = openPendingConsent(jar.get(PENDING_CONSENT_COOKIE)?.value);
  jar.set(PENDING_CONSENT_COOKIE, "", { maxAge: 0, path: "/grants/callback" });
  // Where a successful grant lands: an allow-listed page that started the flow (e.g. /admin/tiers), else /access.
  const returnTo = pickGrantReturnTo(jar.get(GRANT_RETURN_COOKIE)?.value) ?? "/access";
  jar.set(GRANT_RETURN_COOKIE, "", { maxAge: 0, path: "/grants/callback" });
  const user = await currentUser();
  if (!user) return NextResponse.redirect(new URL("/access?error=not_signed_in", base), 303);
  // Rebuild the URL on our public origin: openid-client compares it with the registered redirect_uri.
  const incoming = new URL(req.url);
  const callbackUrl = new URL(`/grants/callback${incoming.search}`, base);
  const result = await completeGrant(toRequestCtx(user), pending, callbackUrl);
  const target = result.ok
    ? `${returnTo}?granted=${encodeURIComponent(result.change)}&grant=${encodeURIComponent(result.grantId)}${result.stoppedTasks.length ? `&stopped=${encodeURIComponent(result.stoppedTasks.join(","))}` : ""}${result.consentNarrowed === false ? "&consent=not_narrowed" : ""}`
    : `/access?error=${result.reason}`;
  return NextResponse.redirect(new URL(target, base), 303);
}
