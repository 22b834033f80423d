import "server-only";
import { db } from "../db";
import { AppError } from "../errors";
import { appendAuditEvents } from "../audit/record-event";
import { openSecret, sealSecret } from "../vault/token-vault";
import { vaultAad } from "../vault/aad";
import { assertGrantTransition, WIPED_GRANT_SECRETS } from "./grant-lifecycle";
import { lockGrant } from "./lock-grant";
import { grantSecretAad } from "./grant-secret-aad";
import { stopGrantTasks } from "./stop-grant-tasks";
import { publishRevocation } from "./publish-revocation";

export type TRevocationActor = { id: string; type: "user" | "admin" | "client" | "system" };

/**
 * active → revoking, in one transaction holding the grant's lock (no refresh can rotate the token
 * underneath): the grant stops locally — cached token wiped, its tasks stopped — the offline token moves
 * into the durable revocation outbox, and the request is audited. Returns null when the grant was
 * already not active (revoking twice is one revocation). Another person's grant is NotFound.
 */
export async function beginGrantRevocation(input: {
  userSub: string;
  grantId: string;
  reason: string;
  actor: TRevocationActor;
  correlationId: string;
  /** Leave the first RFC 7009 attempt to the outbox a little later (e.g. while Keycloak is mid-logout). */
  deferMs?: number;
}): Promise<{ revocationId: string; scopes: string[]; mechanism: "offline_access" | "app_password" } | null> {
  const now = new Date();
  return db().$transaction(async (tx) => {
    const grant = await lockGrant(tx, input.grantId, input.userSub);
    if (!grant) throw new AppError("NotFound", "No such grant");
    if (grant.status !== "active") return null;
    assertGrantTransition(grant.status, "revoking");
    const revocation = await tx.revocation.create({
      data: {
        purpose: "grant",
        grantId: grant.id,
        userSub: grant.userSub,
        requestedBy: input.actor.id,
        keyId: "",
        tokenEnc: "",
        nextAttemptAt: new Date(now.getTime() + (input.deferMs ?? 0)),
      },
    });
    // The offline token — or the app password — moves into the outbox, which deletes it at its provider.
    const token = openSecret({ keyId: grant.keyId, sealed: grant.refreshTokenEnc }, grantSecretAad(grant));
    const sealed = sealSecret(token, vaultAad.revocationToken(revocation.id));
    await tx.revocation.update({ where: { id: revocation.id }, data: { keyId: sealed.keyId, tokenEnc: sealed.sealed } });
    await tx.grant.update({
      where: { id: grant.id },
      data: {
        status: "revoking",
        revokedAt: now,
        revokeReason: input.reason,
        recheckAt: null,
        version: { increment: 1 },
        ...WIPED_GRANT_SECRETS,
      },
    });
    const stoppedTasks = await stopGrantTasks(tx, grant.id, "access revoked");
    await publishRevocation(tx, { grantIds: [grant.id] });
    await appendAuditEvents(tx, [
      {
        actor: input.actor.id,
        actorType: input.actor.type,
        subject: grant.userSub,
        action: "grant.revoke_requested",
        resource: `grant:${grant.id}`,
        outcome: "success",
        correlationId: input.correlationId,
        mechanism: grant.mechanism === "app_password" ? "app-password" : "offline-access",
        details: { scopes: grant.scopes, reason: input.reason, stoppedTasks, revocationId: revocation.id },
      },
    ]);
    return { revocationId: revocation.id, scopes: grant.scopes, mechanism: grant.mechanism };
  });
}
