import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user";
import { readReceipt } from "@/lib/services/grants/revoke-grant";
import { AppError } from "@/lib/errors";
import { ZIdSchema } from "@/lib/validation/z-id-schema";

/**
 * The caller's revocation receipt as a file to keep: what was revoked, each part's proof, and the signed
 * audit checkpoint issued with it — later `npx tsx scripts/verify-audit.ts --against <file>` (or the
 * admin audit page's upload box) proves the trail still holds what it held then.
 */
export async function GET(_req: Request, ctx: { params: Promise<{ grantId: string }> }) {
  const headers = { "cache-control": "no-store" };
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: "Not signed in", code: "Unauthenticated" }, { status: 401, headers });
  const parsed = ZIdSchema.safeParse((await ctx.params).grantId);
  if (!parsed.success) return NextResponse.json({ error: "grantId: not a valid id", code: "BadInput", field: "grantId" }, { status: 400, headers });
  try {
    const receipt = await readReceipt(user.sub, parsed.data);
    if (!receipt.revocationId) return NextResponse.json({ error: "This grant was not revoked", code: "NotFound" }, { status: 404, headers });
    return new NextResponse(JSON.stringify({ type: "ncdd.revocation-receipt/v1", ...receipt }, null, 2), {
      status: 200,
      headers: { ...headers, "content-type": "application/json", "content-disposition": `attachment; filename="revocation-receipt-${parsed.data}.json"` },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "NotFound") return NextResponse.json({ error: "No such grant", code: "NotFound" }, { status: 404, headers });
    throw error;
  }
}
