import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { appendAuditEvents, auditRecorder } from "../audit/record-event";
import { revokeToken } from "../oauth/revoke-token";
import { refreshOfflineToken } from "../oauth/refresh-offline-token";
import { IdpUnavailableError, OAuthProviderError } from "../oauth/oauth-errors";
import { openSecret, sealSecret } from "../vault/token-vault";
import { vaultAad } from "../vault/aad";
import { log } from "../logger";
import { workerClient } from "../oauth/get-oidc-config";
import { asAppPassword } from "../nextcloud/app-password-types";
import { deleteAppPassword } from "../nextcloud/delete-app-password";
import { nextcloudAccountOf } from "../nextcloud/nextcloud-account-of";
import { assertGrantTransition } from "./grant-lifecycle";

type TPendingRow = {
  id: string;
  purpose: "grant" | "superseded_token";
  grantId: string;
  userSub: string;
  keyId: string;
  tokenEnc: string;
  attempts: number;
  mechanism: "offline_access" | "app_password";
  loginName: string | null;
  username: string;
};

const MAX_BACKOFF_MS = 60_000;

/** Retry delay after a failed attempt: 1 s, 2 s, 4 s … capped at a minute. */
export function revocationBackoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Tries once to get one pending revocation confirmed by Keycloak. Confirmation means: Keycloak was asked
 * (RFC 7009) AND a refresh with the same token now fails with invalid_grant — that failure is the
 * receipt's proof. Any other outcome leaves the row pending with a later retry time; nothing is ever lost.
 * On confirmation the grant moves revoking → revoked (purpose "grant"; a superseded token leaves its
 * grant as it is) and the outbox forgets the token, in one transaction with the audit row.
 * Rows are locked with SKIP LOCKED so several processes can work the outbox at once.
 * For an app-password grant the provider is Nextcloud: the app password is deleted
 * (`DELETE /ocs/v2.php/core/apppassword`) and the proof is the 401 Nextcloud answers to a request made
 * with it afterwards.
 */
export async function attemptRevocation(revocationId: string, correlationId: string = randomUUID()): Promise<"confirmed" | "waiting"> {
  return db().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<TPendingRow[]>`
        SELECT r."id", r."purpose"::text AS "purpose", r."grantId", r."userSub", r."keyId", r."tokenEnc", r."attempts",
          g."mechanism"::text AS "mechanism", g."nextcloudLoginName" AS "loginName", u."username"
        FROM "Revocation" r JOIN "Grant" g ON g."id" = r."grantId" JOIN "User" u ON u."sub" = r."userSub"
        WHERE r."id" = ${revocationId} AND r."status" = 'pending' FOR UPDATE OF r SKIP LOCKED`;
      const row = rows[0];
      if (!row) return "waiting";
      const ctx = { recorder: auditRecorder, correlationId, subject: row.userSub };
      const token = openSecret({ keyId: row.keyId, sealed: row.tokenEnc }, vaultAad.revocationToken(row.id));
      const now = new Date();
      const retry = async (lastError: string, data: Record<string, unknown> = {}) => {
        await tx.revocation.update({
          where: { id: row.id },
          data: {
            attempts: row.attempts + 1,
            nextAttemptAt: new Date(now.getTime() + revocationBackoffMs(row.attempts + 1)),
            lastError,
            ...data,
          },
        });
        return "waiting" as const;
      };
      const confirm = async (
        proof: string,
        provider: "keycloak" | "nextcloud",
        mechanism: "rfc7009" | "nextcloud-apppassword",
      ): Promise<"confirmed"> => {
        await tx.revocation.update({
          where: { id: row.id },
          data: { status: "confirmed", confirmedAt: now, proof, tokenEnc: "", lastError: null, attempts: row.attempts + 1 },
        });
        if (row.purpose === "grant") {
          const grant = await tx.grant.findUnique({ where: { id: row.grantId }, select: { status: true } });
          if (grant?.status === "revoking") {
            assertGrantTransition(grant.status, "revoked");
            await tx.grant.update({ where: { id: row.grantId }, data: { status: "revoked", version: { increment: 1 } } });
          }
        }
        await appendAuditEvents(tx, [
          {
            actor: provider,
            actorType: "system",
            subject: row.userSub,
            action: row.purpose === "grant" ? "grant.revoke_confirmed" : "grant.superseded_token_revoked",
            resource: `grant:${row.grantId}`,
            outcome: "success",
            correlationId,
            mechanism,
            details: { revocationId: row.id, proof },
          },
        ]);
        return "confirmed";
      };

      let proof: string;
      if (row.mechanism === "app_password") {
        try {
          const deleted = await deleteAppPassword(
            { loginName: row.loginName ?? "", appPassword: asAppPassword(token) },
            { ...ctx, actor: workerClient().clientId, expectedLoginName: nextcloudAccountOf(row) },
          );
          if (!deleted.proof) return retry(`Nextcloud still accepted the app password after deleting it (HTTP ${deleted.proofStatus})`);
          proof = deleted.proof;
        } catch (error) {
          return retry(error instanceof Error ? error.message : "Nextcloud could not be asked");
        }
        return confirm(proof, "nextcloud", "nextcloud-apppassword");
      }

      try {
        await revokeToken(token, "refresh_token", ctx);
      } catch (error) {
        // Unreachable Keycloak: try again later. A refusal (e.g. the session was already removed in
        // Keycloak) falls through to the proof: if the token no longer refreshes, it is revoked.
        if (error instanceof IdpUnavailableError) return retry(error.message);
      }

      try {
        const still = await refreshOfflineToken(token, ctx);
        // Keycloak still honours the token: keep the newest one so the next attempt revokes what is live.
        const sealed = sealSecret(still.refreshToken, vaultAad.revocationToken(row.id));
        return retry("Keycloak still accepted the token after revocation", { keyId: sealed.keyId, tokenEnc: sealed.sealed });
      } catch (error) {
        if (!(error instanceof OAuthProviderError) || error.error !== "invalid_grant") {
          return retry(error instanceof Error ? error.message : "proof refresh failed");
        }
        proof = `A refresh with the revoked token at ${now.toISOString()} was refused by Keycloak: ${error.message}`;
      }
      return confirm(proof, "keycloak", "rfc7009");
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

/** Works through due revocations (run by the worker on a schedule, and after Keycloak outages). */
export async function processRevocationOutbox(limit = 50): Promise<{ confirmed: number; waiting: number }> {
  const due = await db().revocation.findMany({
    where: { status: "pending", nextAttemptAt: { lte: new Date() } },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  let confirmed = 0;
  for (const { id } of due) {
    const outcome = await attemptRevocation(id).catch((error) => {
      log.warn("revocation attempt failed", { error, revocationId: id });
      return "waiting" as const;
    });
    if (outcome === "confirmed") confirmed += 1;
  }
  return { confirmed, waiting: due.length - confirmed };
}
