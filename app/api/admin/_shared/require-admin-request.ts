import "server-only";
import { NextResponse } from "next/server";
import { randomUUID } from "node:crypto";
import { currentUser } from "@/lib/auth/current-user";
import type { TCtx } from "@/lib/services/context";

/**
 * The admin check every /api/admin route makes on the server (the proxy only redirects pages): 401
 * JSON when signed out, 403 JSON for anyone without the admin realm role, else the service context.
 */
export async function requireAdminRequest(): Promise<{ ctx: TCtx; denied?: never } | { denied: NextResponse; ctx?: never }> {
  const user = await currentUser();
  if (!user) return { denied: NextResponse.json({ error: "Not signed in", code: "Unauthenticated" }, { status: 401, headers: NO_STORE }) };
  if (!user.isAdmin) {
    return { denied: NextResponse.json({ error: "This is for dashboard administrators only.", code: "Forbidden" }, { status: 403, headers: NO_STORE }) };
  }
  return { ctx: { userSub: user.sub, username: user.username, isAdmin: true, correlationId: randomUUID() } };
}

export const NO_STORE = { "cache-control": "no-store" } as const;
