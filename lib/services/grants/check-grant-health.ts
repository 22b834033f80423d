import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";
import { auditRecorder } from "../../audit/record-event";
import { GrantRevokedError } from "../../oauth/oauth-errors";
import { recordRevokedAtProvider } from "./record-revoked-at-provider";
import { getDelegatedToken } from "../../oauth/get-delegated-token";
import type { TCtx } from "../context";

export const ZCheckGrantSchema = z.object({ grantId: z.string().min(1).max(100) });

/**
 * Asks Keycloak whether the caller's grant is still alive. A grant removed elsewhere — e.g. in Keycloak's account console —
 * is marked revoked at the provider and its tasks stop. Returns the grant's new health.
 */
export async function checkGrantHealth(ctx: TCtx, raw: unknown): Promise<{ active: boolean }> {
  const { grantId } = ZCheckGrantSchema.parse(raw);
  const grant = await db().grant.findFirst({ where: { id: grantId, userSub: ctx.userSub } });
  if (!grant) throw new AppError("NotFound", "No such grant");
  if (grant.status !== "active") return { active: false };
  return checkGrantIds([grant.id], ctx.correlationId).then((r) => ({ active: r.stillActive > 0 }));
}

/**
 * The same check for any grants (also the worker's periodic sweep); no caller scoping, server-side only.
 * Health is a real refresh of the offline token through the serialised path (so the single-use token
 * is never spent twice). Keycloak 26 cannot be asked by introspection instead: it reports offline
 * refresh tokens and exchanged tokens as inactive even while the offline session lives. A refresh
 * refused with invalid_grant marks the grant revoked at the provider; its tasks stop with the reason.
 */
export async function checkGrantIds(grantIds: string[], correlationId: string): Promise<{ stillActive: number; revoked: number }> {
  const grants = await db().grant.findMany({ where: { id: { in: grantIds }, status: "active" }, select: { id: true, userSub: true } });
  let stillActive = 0;
  let revoked = 0;
  for (const grant of grants) {
    try {
      // A validity demand longer than any access token forces the refresh.
      await getDelegatedToken({ grantId: grant.id, recorder: auditRecorder, correlationId, minValiditySeconds: FORCE_REFRESH_SECONDS });
      stillActive += 1;
    } catch (error) {
      if (!(error instanceof GrantRevokedError)) throw error;
      revoked += 1;
      await recordRevokedAtProvider(grant.id, error.errorDescription, correlationId);
    }
  }
  return { stillActive, revoked };
}

const FORCE_REFRESH_SECONDS = 366 * 24 * 3600;
