import "server-only";
import { z } from "zod";
import { db } from "../../db";
import type { TCtx } from "../context";
import { revokeGrant, type TRevokeReceipt } from "./revoke-grant";

export const ZRevokeAllGrantsSchema = z.object({ deleteData: z.boolean().optional() }).strict().default({});

/** "Revoke everything": every active grant of the caller, each with its own receipt. */
export async function revokeAllGrants(
  ctx: TCtx & { loginSessionId?: string },
  input: z.infer<typeof ZRevokeAllGrantsSchema> = {},
): Promise<TRevokeReceipt[]> {
  const grants = await db().grant.findMany({ where: { userSub: ctx.userSub, status: "active" }, select: { id: true } });
  const receipts: TRevokeReceipt[] = [];
  for (const g of grants) {
    receipts.push(
      await revokeGrant(ctx, { grantId: g.id, deleteData: input.deleteData }, { reason: "revoked by the user (revoke everything)" }),
    );
  }
  return receipts;
}
