import "server-only";
import { z } from "zod";
import { ZIdSchema } from "../../validation/z-id-schema";
import { db } from "../../db";
import { AppError } from "../../errors";
import { checkGrants } from "../../grants/check-grants";
import type { TCtx } from "../context";

export const ZCheckGrantSchema = z.object({ grantId: ZIdSchema }).strict();

/**
 * Asks Keycloak now whether the caller's grant is still alive. A grant removed elsewhere — e.g. in
 * Keycloak's account console — is marked revoked at the provider and its tasks stop. Returns its health.
 */
export async function checkGrantHealth(ctx: TCtx, { grantId }: z.infer<typeof ZCheckGrantSchema>): Promise<{ active: boolean }> {
  const grant = await db().grant.findFirst({ where: { id: grantId, userSub: ctx.userSub }, select: { id: true, status: true } });
  if (!grant) throw new AppError("NotFound", "No such grant");
  if (grant.status !== "active") return { active: false };
  const outcome = await checkGrants([grant.id], ctx.correlationId);
  return { active: outcome.revoked === 0 };
}
