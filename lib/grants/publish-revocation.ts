import "server-only";
import type { Prisma } from "@prisma/client";
import { REVOCATION_CHANNEL, type TRevocationNotice } from "./revocation-hints";

/**
 * Announces, inside the transaction that stops access, which grants and tasks may no longer act.
 * PostgreSQL delivers a NOTIFY only when that transaction commits (and never if it rolls back), so a
 * worker hears of a revocation exactly when it became true. The per-request database check in the
 * worker stays the guarantee; this only makes running workers learn of it in milliseconds.
 */
export async function publishRevocation(tx: Pick<Prisma.TransactionClient, "$executeRaw">, notice: TRevocationNotice): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${JSON.stringify(notice)})`;
}
