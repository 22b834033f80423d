import "server-only";
import { z } from "zod";
import { ZIdSchema } from "../../validation/z-id-schema";
import { db } from "../../db";
import { AppError } from "../../errors";
import { recordObservedEvent } from "../../audit/record-event";
import { log } from "../../logger";
import { loginAccessToken } from "../../auth/login-session-token";
import { readConsent, removeConsent } from "../../oauth/keycloak-account-api";
import { workerClient } from "../../oauth/get-oidc-config";
import { beginGrantRevocation, type TRevocationActor } from "../../grants/begin-grant-revocation";
import { attemptRevocation } from "../../grants/confirm-revocation";
import { recordRevocationParts } from "../../grants/record-revocation-parts";
import { latestCheckpointForReceipt } from "../../audit/latest-checkpoint-for-receipt";
import { deleteCollectedData, type TDataDisposition } from "../tasks/delete-collected-data";
import type { TCtx } from "../context";

export const ZRevokeGrantSchema = z.object({ grantId: ZIdSchema, deleteData: z.boolean().optional() }).strict();

export type TRevokeReceipt = {
  grantId: string;
  revocationId: string | null;
  /** offline_access: Keycloak ends the offline session; app_password: Nextcloud deletes the app password. */
  mechanism: "offline_access" | "app_password";
  /** Who confirms the revocation (and whose answer is the proof). */
  provider: "keycloak" | "nextcloud";
  scopes: string[];
  stoppedLocallyAt: Date;
  keycloak: "confirmed" | "waiting" | "not_needed";
  confirmedAt: Date | null;
  proof: string | null;
  consent: { state: "removed" | "not_removed" | "unknown"; at: Date | null; proof: string | null; error: string | null };
  data: TDataDisposition | null;
  /** The signed audit checkpoint issued with the receipt: verify a saved receipt with `verify-audit --against`. */
  checkpoint: unknown;
};

/**
 * Revokes one of the caller's grants, everywhere: it stops locally at once (tasks stopped, token into
 * the outbox — see beginGrantRevocation), Keycloak is asked to end the offline session (RFC 7009; the
 * outbox retries until a refused refresh proves it), and Keycloak's consent for the worker is removed in
 * the person's own name (account API), so the account console no longer lists the worker. With
 * `deleteData`, what the tasks collected is deleted too. Revoking twice returns the existing receipt.
 * Another person's grant is NotFound. An app-password grant is revoked at Nextcloud instead: the app
 * password is deleted there and Nextcloud's 401 to it afterwards is the proof (no Keycloak consent exists
 * for it, so none is removed).
 */
export async function revokeGrant(
  ctx: TCtx & { loginSessionId?: string },
  input: z.infer<typeof ZRevokeGrantSchema>,
  opts: { reason?: string; actor?: TRevocationActor } = {},
): Promise<TRevokeReceipt> {
  const begun = await beginGrantRevocation({
    userSub: ctx.userSub,
    grantId: input.grantId,
    reason: opts.reason ?? "revoked by the user",
    actor: opts.actor ?? { id: ctx.userSub, type: ctx.isAdmin ? "admin" : "user" },
    correlationId: ctx.correlationId,
  });
  if (begun) {
    // Best effort now; the outbox keeps it if Keycloak does not answer.
    await attemptRevocation(begun.revocationId, ctx.correlationId).catch((error) =>
      log.warn("revocation deferred to the outbox", { error, revocationId: begun.revocationId }),
    );
    const consent =
      begun.mechanism === "app_password"
        ? undefined
        : ctx.loginSessionId
          ? await removeWorkerConsent(ctx as TCtx & { loginSessionId: string })
          : { error: "no sign-in to act in your name" };
    const dataDisposition = input.deleteData ? await deleteCollectedData(ctx) : undefined;
    // Signed after every part was audited, so a saved receipt proves the trail held all of them.
    const checkpoint = await latestCheckpointForReceipt();
    await recordRevocationParts(begun.revocationId, ctx.userSub, { consent, dataDisposition, checkpoint });
  }
  return readReceipt(ctx.userSub, input.grantId);
}

/** Removes the worker's consent at Keycloak in the person's name and proves it by reading it back. */
async function removeWorkerConsent(
  ctx: TCtx & { loginSessionId: string },
): Promise<{ removedAt: Date; proof: string } | { error: string }> {
  const clientId = workerClient().clientId;
  try {
    const token = await loginAccessToken(ctx.loginSessionId, ctx.userSub);
    await removeConsent(token, clientId);
    const after = await readConsent(token, clientId);
    if (after) return { error: "Keycloak still lists the consent after removing it" };
    const removedAt = new Date();
    const proof = `Keycloak's account API no longer lists a consent for ${clientId} (read back at ${removedAt.toISOString()})`;
    await recordObservedEvent({
      actor: ctx.userSub,
      actorType: ctx.isAdmin ? "admin" : "user",
      subject: ctx.userSub,
      action: "grant.consent_removed",
      resource: `client:${clientId}`,
      outcome: "success",
      correlationId: ctx.correlationId,
      mechanism: "keycloak-account-api",
    });
    return { removedAt, proof };
  } catch (error) {
    const message = error instanceof AppError ? error.message : "Keycloak could not be asked";
    log.warn("consent removal failed", { error, correlationId: ctx.correlationId });
    return { error: message };
  }
}

/** The receipt of a grant's latest revocation, for the caller only. */
export async function readReceipt(userSub: string, grantId: string): Promise<TRevokeReceipt> {
  const grant = await db().grant.findFirst({
    where: { id: grantId, userSub },
    include: { revocations: { where: { purpose: "grant" }, orderBy: { requestedAt: "desc" }, take: 1 } },
  });
  if (!grant) throw new AppError("NotFound", "No such grant");
  const r = grant.revocations[0];
  return {
    grantId,
    revocationId: r?.id ?? null,
    mechanism: grant.mechanism,
    provider: grant.mechanism === "app_password" ? "nextcloud" : "keycloak",
    scopes: grant.scopes,
    stoppedLocallyAt: grant.revokedAt ?? new Date(),
    keycloak: r ? (r.status === "confirmed" ? "confirmed" : "waiting") : "not_needed",
    confirmedAt: r?.confirmedAt ?? null,
    proof: r?.proof ?? null,
    consent: {
      state: r?.consentRemovedAt ? "removed" : r?.consentError ? "not_removed" : "unknown",
      at: r?.consentRemovedAt ?? null,
      proof: r?.consentProof ?? null,
      error: r?.consentError ?? null,
    },
    data: (r?.dataDisposition as TDataDisposition | null) ?? null,
    checkpoint: r?.checkpoint ?? null,
  };
}
