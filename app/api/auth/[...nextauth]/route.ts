import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { cookies } from "next/headers";
import { authOptions } from "@/lib/auth/auth-options";
import { currentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { findBadAuthInput } from "./find-bad-auth-input";

type TRouteCtx = { params: Promise<{ nextauth: string[] }> };

// Built per request so that configuration is read at run time, never at build time. Malformed input is
// answered 400 here: next-auth itself answers some of it with a 500.
async function handler(req: Request, ctx: TRouteCtx) {
  const params = await ctx.params;
  const jar = new Map((await cookies()).getAll().map((c) => [c.name, c.value]));
  const bad = await findBadAuthInput(req, params.nextauth, env().NEXTAUTH_URL, jar);
  if (bad) {
    return NextResponse.json(
      { error: `${bad.field}: ${bad.field} ${bad.message}`, code: "BadInput", field: bad.field },
      { status: 400, headers: { "cache-control": "no-store" } },
    );
  }
  // next-auth answers /session from the cookie alone; a session that Keycloak or sign-out ended must not
  // still report an identity, so the login session is checked first (an empty object = signed out).
  if (req.method === "GET" && params.nextauth.join("/") === "session" && !(await currentUser())) {
    return NextResponse.json({}, { headers: { "cache-control": "no-store" } });
  }
  return NextAuth(authOptions())(req, { params });
}

export { handler as GET, handler as POST };
