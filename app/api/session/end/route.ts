import { NextResponse } from "next/server";
import { currentUser, SESSION_COOKIES } from "@/lib/auth/current-user";
import { endLoginSession } from "@/lib/auth/end-login-session";
import { env } from "@/lib/env";

/** Sign-out: closes the dashboard session and the Keycloak session, then lands on /signed-out. */
export async function POST(req: Request) {
  const base = env().NEXTAUTH_URL;
  // Same-origin only: a cross-site form must not be able to sign people out.
  const origin = req.headers.get("origin");
  if (origin && origin !== new URL(base).origin) {
    return NextResponse.json({ error: "Cross-origin sign-out refused" }, { status: 403 });
  }
  const user = await currentUser();
  const result = user ? await endLoginSession(user.loginSessionId, user.sub) : { keycloakSessionEnded: false };
  const res = NextResponse.redirect(new URL(`/signed-out?keycloak=${result.keycloakSessionEnded ? "ended" : "unknown"}`, base), 303);
  for (const name of [
    ...SESSION_COOKIES,
    "next-auth.csrf-token",
    "__Host-next-auth.csrf-token",
    "next-auth.callback-url",
    "__Secure-next-auth.callback-url",
  ]) {
    res.cookies.set(name, "", { maxAge: 0, path: "/" });
  }
  return res;
}
