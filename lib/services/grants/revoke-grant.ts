import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";
import { auditRecorder } from "../../audit/record-event";
import { openSecret, sealSecret } from "../../vault/token-vault";
import { vaultAad } from "../../vault/aad";
import { log } from "../../logger";
import type { TCtx } from "../context";
import { attemptRevocation } from "./process-revocation-outbox";

export const ZRevokeGrantSchema = z.object({ grantId: z.string().min(1).max(100) });

export type TRevokeReceipt = {
  grantId: string;
  revocationId: string | null;
  scopes: string[];
  stoppedLocallyAt: Date;
  keycloak: "confirmed" | "waiting" | "not_needed";
  confirmedAt: Date | null;
  proof: string | null;
};

type TLockedGrant = { id: string; userSub: string; status: string; keyId: string; refreshTokenEnc: string; scopes: string[]; revokedAt: Date | null };

/**
 * Revokes one of the caller's grants. Order matters: first, in one transaction holding the grant's row
 * lock (so no refresh can rotate the token underneath), the grant stops locally — status `revoking`,
 * cached access token wiped, its tasks stopped — and the token moves into the durable revocation outbox.
 * Then Keycloak is asked (RFC 7009); if it cannot be reached the outbox retries until it confirms.
 * Revoking twice returns the existing receipt. Another person's grant is NotFound.
 */
export async function revokeGrant(
  ctx: TCtx,
  raw: unknown,
  opts: {
    reason?: string;
    actor?: { id: string; type: "user" | "admin" | "client" | "system" };
    /** Ask Keycloak right away (default) or leave it to the outbox, e.g. while Keycloak is mid-logout. */
    attemptNow?: boolean;
  } = {},
): Promise<TRevokeReceipt> {
  const reason = opts.reason ?? "revoked by the user";
  const actor = opts.actor ?? { id: ctx.userSub, type: ctx.isAdmin ? "admin" : "user" };
  const { grantId } = ZRevokeGrantSchema.parse(raw);
  const now = new Date();
  const result = await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<TLockedGrant[]>`
      SELECT "id", "userSub", "status"::text AS "status", "keyId", "refreshTokenEnc", "scopes", "revokedAt"
      FROM "Grant" WHERE "id" = ${grantId} AND "userSub" = ${ctx.userSub} FOR UPDATE`;
    const grant = rows[0];
    if (!grant) throw new AppError("NotFound", "No such grant");
    if (grant.status !== "active" && grant.status !== "pending") {
      return { grant, revocationId: null as string | null, fresh: false };
    }
    const revocation = await tx.revocation.create({
      data: {
        grantId,
        userSub: ctx.userSub,
        requestedBy: actor.id,
        keyId: "",
        tokenEnc: "",
        nextAttemptAt: opts.attemptNow === false ? new Date(now.getTime() + 2000) : now,
      },
    });
    const token = openSecret({ keyId: grant.keyId, sealed: grant.refreshTokenEnc }, vaultAad.grantRefresh(grantId));
    const sealed = sealSecret(token, vaultAad.revocationToken(revocation.id));
    await tx.revocation.update({ where: { id: revocation.id }, data: { keyId: sealed.keyId, tokenEnc: sealed.sealed } });
    await tx.grant.update({
      where: { id: grantId },
      data: {
        status: "revoking",
        revokedAt: now,
        revokeReason: reason,
        refreshTokenEnc: "",
        accessTokenEnc: null,
        accessExpiresAt: null,
        version: { increment: 1 },
      },
    });
    await tx.task.updateMany({
      where: { grantId, status: { not: "revoked" } },
      data: { status: "revoked", stoppedReason: "access revoked", nextRunAt: null },
    });
    return { grant, revocationId: revocation.id, fresh: true };
  });

  if (result.fresh && result.revocationId) {
    await auditRecorder({
      actor: actor.id,
      actorType: actor.type,
      subject: ctx.userSub,
      action: "grant.revoke_requested",
      resource: `grant:${grantId}`,
      outcome: "success",
      correlationId: ctx.correlationId,
      mechanism: "offline-access",
      details: { scopes: result.grant.scopes, reason },
    }).catch((error) => log.error("audit failed", { error }));
    // Best effort now; the outbox keeps it if Keycloak does not answer.
    if (opts.attemptNow !== false) await attemptRevocation(result.revocationId, ctx.correlationId).catch((error) =>
      log.warn("revocation deferred to the outbox", { error, revocationId: result.revocationId }),
    );
  }
  return readReceipt(ctx.userSub, grantId);
}

/** The receipt of a grant's latest revocation, for the caller only. */
export async function readReceipt(userSub: string, grantId: string): Promise<TRevokeReceipt> {
  const grant = await db().grant.findFirst({
    where: { id: grantId, userSub },
    include: { revocations: { orderBy: { requestedAt: "desc" }, take: 1 } },
  });
  if (!grant) throw new AppError("NotFound", "No such grant");
  const r = grant.revocations[0];
  return {
    grantId,
    revocationId: r?.id ?? null,
    scopes: grant.scopes,
    stoppedLocallyAt: grant.revokedAt ?? new Date(),
    keycloak: r ? (r.status === "confirmed" ? "confirmed" : "waiting") : "not_needed",
    confirmedAt: r?.confirmedAt ?? null,
    proof: r?.proof ?? null,
  };
}
