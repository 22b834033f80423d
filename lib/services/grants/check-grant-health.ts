import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";
import { auditRecorder } from "../../audit/record-event";
import { introspectToken } from "../../oauth/introspect-token";
import { openSecret } from "../../vault/token-vault";
import { vaultAad } from "../../vault/aad";
import type { TCtx } from "../context";
import { markGrantsRevokedAtProvider } from "./mark-grants-revoked-at-provider";

export const ZCheckGrantSchema = z.object({ grantId: z.string().min(1).max(100) });

/**
 * Asks Keycloak (RFC 7662 introspection, which does not rotate the single-use refresh token) whether
 * the caller's grant is still alive. A grant removed elsewhere — e.g. in Keycloak's account console —
 * is marked revoked at the provider and its tasks stop. Returns the grant's new health.
 */
export async function checkGrantHealth(ctx: TCtx, raw: unknown): Promise<{ active: boolean }> {
  const { grantId } = ZCheckGrantSchema.parse(raw);
  const grant = await db().grant.findFirst({ where: { id: grantId, userSub: ctx.userSub } });
  if (!grant) throw new AppError("NotFound", "No such grant");
  if (grant.status !== "active") return { active: false };
  return checkGrantIds([grant.id], ctx.correlationId).then((r) => ({ active: r.stillActive > 0 }));
}

/** The same check for any grants (the worker's periodic sweep); no caller scoping, server-side only. */
export async function checkGrantIds(grantIds: string[], correlationId: string): Promise<{ stillActive: number; revoked: number }> {
  const grants = await db().grant.findMany({ where: { id: { in: grantIds }, status: "active" } });
  let stillActive = 0;
  let revoked = 0;
  for (const grant of grants) {
    const token = openSecret({ keyId: grant.keyId, sealed: grant.refreshTokenEnc }, vaultAad.grantRefresh(grant.id));
    const result = await introspectToken(token, { recorder: auditRecorder, correlationId, subject: grant.userSub });
    if (result.active) {
      stillActive += 1;
      await db().grant.update({ where: { id: grant.id }, data: { lastRefreshOk: true, lastError: null, lastRefreshAt: new Date() } });
    } else {
      revoked += await markGrantsRevokedAtProvider(
        { grantIds: [grant.id] },
        "Keycloak reports this offline access is no longer active (removed in Keycloak, e.g. in the account console)",
        correlationId,
      );
    }
  }
  return { stillActive, revoked };
}
