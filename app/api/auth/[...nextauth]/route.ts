import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";
import { currentUser } from "@/lib/auth/current-user";

type TRouteCtx = { params: Promise<{ nextauth: string[] }> };

// Built per request so that configuration is read at run time, never at build time.
async function handler(req: Request, ctx: TRouteCtx) {
  const params = await ctx.params;
  // next-auth answers /session from the cookie alone; a session that Keycloak or sign-out ended must not
  // still report an identity, so the login session is checked first (an empty object = signed out).
  if (req.method === "GET" && params.nextauth.join("/") === "session" && !(await currentUser())) {
    return NextResponse.json({}, { headers: { "cache-control": "no-store" } });
  }
  return NextAuth(authOptions())(req, { params });
}

export { handler as GET, handler as POST };
