import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";

type TRouteCtx = { params: Promise<{ nextauth: string[] }> };

// Built per request so that configuration is read at run time, never at build time.
async function handler(req: Request, ctx: TRouteCtx) {
  return NextAuth(authOptions())(req, { params: await ctx.params });
}

export { handler as GET, handler as POST };
