import { NextResponse } from "next/server";
import { z } from "zod";
import { withUser } from "@/lib/auth/with-request";
import { AppError } from "@/lib/errors";
import { NO_STORE } from "@/lib/http/error-response";
import { readReceipt } from "@/lib/services/grants/revoke-grant";
import { parseInput } from "@/lib/validation/parse-input";
import { ZIdSchema } from "@/lib/validation/z-id-schema";

const ZGrantParams = z.object({ grantId: ZIdSchema });

/**
 * The caller's revocation receipt as a file to keep: what was revoked, each part's proof, and the signed
 * audit checkpoint issued with it — later `npx tsx scripts/verify-audit.ts --against <file>` (or the
 * admin audit page's upload box) proves the trail still holds what it held then.
 */
export const GET = withUser<{ grantId: string }>(async (ctx, _req, { params }) => {
  const { grantId } = parseInput(ZGrantParams, await params);
  const receipt = await readReceipt(ctx.userSub, grantId);
  if (!receipt.revocationId) throw new AppError("NotFound", "This grant was not revoked");
  return new NextResponse(JSON.stringify({ type: "ncdd.revocation-receipt/v1", ...receipt }, null, 2), {
    status: 200,
    headers: {
      ...NO_STORE,
      "content-type": "application/json",
      "content-disposition": `attachment; filename="revocation-receipt-${grantId}.json"`,
    },
  });
});
