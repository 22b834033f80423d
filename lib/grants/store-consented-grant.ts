import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { db } from "../db";
import { appendAuditEvents } from "../audit/record-event";
import { vaultAad } from "../vault/aad";
import { openSecret, sealSecret } from "../vault/token-vault";
import { workerClient } from "../oauth/get-oidc-config";
import type { TRedeemedConsent } from "../oauth/redeem-consent-code";
import { taskScopesOf } from "../tasks/task-catalog";
import { assertGrantTransition } from "./grant-lifecycle";
import { lockActiveGrantOf } from "./lock-grant";
import { stopGrantTasks } from "./stop-grant-tasks";
import { publishRevocation } from "./publish-revocation";
import type { TAuditAction } from "../audit/audit-kinds";

export type TGrantChange = "created" | "widened" | "narrowed" | "renewed";

export type TStoredGrant = {
  grantId: string;
  change: TGrantChange;
  addedScopes: string[];
  droppedScopes: string[];
  /** Task types stopped because the scopes they need were dropped. */
  stoppedTasks: string[];
  /** The replaced token lived in another Keycloak session: its revocation is queued in the outbox. */
  supersededRevocationId: string | null;
};

/**
 * Stores a verified consent as THE grant of (user, worker client): there is at most one active grant per
 * pair (a partial unique index enforces it). A first consent creates it; a later one (add or narrow
 * access) replaces its token and scopes in place, so its id, its tasks and its history stay. Tasks that
 * need a dropped scope stop in the same transaction.
 *
 * The replaced offline token: Keycloak keeps ONE offline session per SSO session, shared by every
 * consent given in it (proven in lib/grants/__tests__/keycloak-offline-sessions.test.ts) — revoking the
 * old token would end the new one too, so a token of the same session (same `sid`) is only forgotten.
 * A token of another session is revoked through the outbox (RFC 7009, confirmed by a refused refresh),
 * which ends that session only.
 */
export async function storeConsentedGrant(redeemed: TRedeemedConsent, correlationId: string): Promise<TStoredGrant> {
  try {
    return await storeOnce(redeemed, correlationId);
  } catch (error) {
    // Two callbacks raced to create the first grant: the loser becomes an update of the winner's row.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return storeOnce(redeemed, correlationId);
    throw error;
  }
}

async function storeOnce(redeemed: TRedeemedConsent, correlationId: string): Promise<TStoredGrant> {
  const clientId = workerClient().clientId;
  return db().$transaction(
    async (tx) => {
      const current = await lockActiveGrantOf(tx, redeemed.sub, clientId);
      const grantId = current?.id ?? randomUUID();
      const refresh = sealSecret(redeemed.offlineToken, vaultAad.grantRefresh(grantId));
      const access = sealSecret(redeemed.accessToken, vaultAad.grantAccess(grantId));
      const sealed = {
        keyId: refresh.keyId,
        refreshTokenEnc: refresh.sealed,
        accessTokenEnc: access.sealed,
        accessExpiresAt: redeemed.accessExpiresAt,
        keycloakSid: redeemed.sid,
        idleExpiresAt: redeemed.refreshExpiresAt,
        scopes: redeemed.grantedScopes,
      };
      const newTaskScopes = taskScopesOf(redeemed.grantedScopes);

      if (!current) {
        await tx.grant.create({ data: { id: grantId, userSub: redeemed.sub, clientId, status: "active", lastRefreshOk: true, ...sealed } });
        await appendAuditEvents(tx, [grantEvent(redeemed.sub, grantId, correlationId, "created", newTaskScopes, [], [])]);
        return {
          grantId,
          change: "created",
          addedScopes: newTaskScopes,
          droppedScopes: [],
          stoppedTasks: [],
          supersededRevocationId: null,
        };
      }

      assertGrantTransition(current.status, "active");
      const oldTaskScopes = taskScopesOf(current.scopes);
      const addedScopes = newTaskScopes.filter((s) => !oldTaskScopes.includes(s));
      const droppedScopes = oldTaskScopes.filter((s) => !newTaskScopes.includes(s));
      const change: TGrantChange = droppedScopes.length ? "narrowed" : addedScopes.length ? "widened" : "renewed";
      const oldToken = current.refreshTokenEnc
        ? openSecret({ keyId: current.keyId, sealed: current.refreshTokenEnc }, vaultAad.grantRefresh(grantId))
        : null;

      await tx.grant.update({
        where: { id: grantId },
        data: { ...sealed, version: { increment: 1 }, lastRefreshOk: true, lastError: null, recheckAt: null },
      });
      const stoppedTasks = droppedScopes.length
        ? await stopGrantTasks(tx, grantId, `access narrowed: ${droppedScopes.join(", ")} no longer granted`, droppedScopes)
        : [];
      // Workers forget the replaced token at once; tasks stopped by a narrowing stop mid-run.
      const stoppedIds = stoppedTasks.length
        ? await tx.task.findMany({ where: { grantId, type: { in: stoppedTasks }, status: "revoked" }, select: { id: true } })
        : [];
      await publishRevocation(tx, { taskIds: stoppedIds.map((t) => t.id), changedGrantIds: [grantId] });

      let supersededRevocationId: string | null = null;
      if (oldToken && current.keycloakSid !== redeemed.sid) {
        const revocation = await tx.revocation.create({
          data: { purpose: "superseded_token", grantId, userSub: redeemed.sub, requestedBy: "system", keyId: "", tokenEnc: "" },
        });
        const moved = sealSecret(oldToken, vaultAad.revocationToken(revocation.id));
        await tx.revocation.update({ where: { id: revocation.id }, data: { keyId: moved.keyId, tokenEnc: moved.sealed } });
        supersededRevocationId = revocation.id;
      }
      await appendAuditEvents(tx, [
        grantEvent(redeemed.sub, grantId, correlationId, change, addedScopes, droppedScopes, stoppedTasks, supersededRevocationId),
      ]);
      return { grantId, change, addedScopes, droppedScopes, stoppedTasks, supersededRevocationId };
    },
    { maxWait: 15_000, timeout: 30_000 },
  );
}

function grantEvent(
  sub: string,
  grantId: string,
  correlationId: string,
  change: TGrantChange,
  added: string[],
  dropped: string[],
  stoppedTasks: string[],
  supersededRevocationId: string | null = null,
) {
  return {
    actor: sub,
    actorType: "user" as const,
    subject: sub,
    action: `grant.${change}` satisfies TAuditAction,
    resource: `grant:${grantId}`,
    outcome: "success" as const,
    correlationId,
    mechanism: "offline-access" as const,
    details: { addedScopes: added, droppedScopes: dropped, stoppedTasks, supersededRevocationId },
  };
}
