import "server-only";
import { db } from "../../db";
import type { TCtx } from "../context";
import { revokeGrant, type TRevokeReceipt } from "./revoke-grant";

/** "Revoke everything": every active grant of the caller, each with its own receipt. */
export async function revokeAllGrants(ctx: TCtx): Promise<TRevokeReceipt[]> {
  const grants = await db().grant.findMany({
    where: { userSub: ctx.userSub, status: { in: ["active", "pending"] } },
    select: { id: true },
  });
  const receipts: TRevokeReceipt[] = [];
  for (const g of grants) receipts.push(await revokeGrant(ctx, { grantId: g.id }, { reason: "revoked by the user (revoke everything)" }));
  return receipts;
}
