import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user";
import { listGrants } from "@/lib/services/grants/list-grants";
import { randomUUID } from "node:crypto";

/** The signed-in person's grants, polled by the My access page. */
export async function GET() {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: "Not signed in" }, { status: 401 });
  const grants = await listGrants({ userSub: user.sub, username: user.username, isAdmin: user.isAdmin, correlationId: randomUUID() });
  return NextResponse.json({ grants }, { headers: { "cache-control": "no-store" } });
}
