import "server-only";
import type { Prisma } from "@prisma/client";

/**
 * Ends one dashboard sign-in inside the caller's transaction and wipes its sealed tokens in the same
 * write: an ended session keeps no id, access or refresh token. Ending twice keeps the first reason.
 */
export async function endLoginSessionRow(tx: Prisma.TransactionClient, loginSessionId: string, reason: string): Promise<boolean> {
  const ended = await tx.loginSession.updateMany({
    where: { id: loginSessionId, endedAt: null },
    data: { endedAt: new Date(), endReason: reason, idTokenEnc: "", accessTokenEnc: "", refreshTokenEnc: null },
  });
  return ended.count === 1;
}
