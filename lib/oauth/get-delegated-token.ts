import "server-only";
import { decodeJwt } from "jose";
import type { Prisma } from "@prisma/client";
import { db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import type { TAuditRecorder } from "../audit/types";
import { vaultAad } from "../vault/aad";
import { openSecret, sealSecret } from "../vault/token-vault";
import { exchangeToken } from "./exchange-token";
import { GrantRevokedError, OAuthProviderError, toOAuthError } from "./oauth-errors";
import { refreshOfflineToken } from "./refresh-offline-token";
import type { TOAuthCallContext } from "./report-oauth-event";
import type { TUserAccessToken } from "./token-types";
import { tokenSubject } from "./token-subject";

export type TGetDelegatedTokenInput = {
  grantId: string;
  recorder: TAuditRecorder;
  correlationId: string;
  taskId?: string | null;
  /**
   * After refreshing, exchange the access token (RFC 8693) for one whose audience is only this audience
   * (default NEXTCLOUD_AUDIENCE). Keycloak only offers an audience that one of the requested scopes maps,
   * so `scope` defaults to the grant's task scopes (e.g. notes.read). Off by default: the refreshed token
   * already carries `nextcloud` when the grant has notes.read/files.read.
   */
  exchange?: boolean | { audience?: string; scope?: string[] };
  /** A cached access token is reused while it has at least this long left. Default 30 s. */
  minValiditySeconds?: number;
};

export type TDelegatedToken = {
  token: TUserAccessToken;
  expiresAt: Date;
  /** The user the token speaks for (Keycloak sub). */
  subject: string;
  /** Where it came from: the sealed cache, a refresh, or a refresh followed by an exchange. */
  source: "cache" | "refresh" | "exchange";
};

type TGrantRow = {
  id: string;
  userSub: string;
  status: string;
  keyId: string;
  refreshTokenEnc: string;
  accessTokenEnc: string | null;
  accessExpiresAt: Date | null;
};

type TTxOutcome = { ok: TDelegatedToken } | { fail: Error };

const NON_TASK_SCOPES = new Set(["openid", "offline_access", "profile", "email", "roles", "basic", "web-origins", "acr"]);

const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

/**
 * The one way the worker and server actions get a token to act for a user. Reuses the sealed cached
 * access token until shortly before it expires; otherwise refreshes the offline token (and optionally
 * exchanges it) while holding the Grant row lock, so refreshes of one grant are serialised across
 * processes and the rotated refresh token is stored in the same transaction (version bumped).
 * Refuses grants that are not active; on invalid_grant marks the grant revoked_at_provider and throws
 * GrantRevokedError. Never returns a service-account token.
 */
export async function getDelegatedToken(input: TGetDelegatedTokenInput): Promise<TDelegatedToken> {
  const minValidityMs = (input.minValiditySeconds ?? 30) * 1000;
  const audience = requiredAudience(input);
  const grant = await db().grant.findUnique({ where: { id: input.grantId } });
  if (!grant) throw new AppError("NotFound", `Grant ${input.grantId} does not exist`);
  assertActive(grant);

  const cached = readCache(grant, minValidityMs, audience);
  if (cached) {
    await db().grant.update({ where: { id: grant.id }, data: { lastUsedAt: new Date() } });
    return cached;
  }

  const ctx: TOAuthCallContext = { recorder: input.recorder, correlationId: input.correlationId, subject: grant.userSub, taskId: input.taskId };
  const outcome = await db().$transaction(async (tx): Promise<TTxOutcome> => {
    const rows = await tx.$queryRaw<TGrantRow[]>`
      SELECT "id", "userSub", "status"::text AS "status", "keyId", "refreshTokenEnc", "accessTokenEnc", "accessExpiresAt"
      FROM "Grant" WHERE "id" = ${input.grantId} FOR UPDATE`;
    const locked = rows[0];
    if (!locked) return { fail: new AppError("NotFound", `Grant ${input.grantId} does not exist`) };
    try {
      assertActive(locked);
    } catch (err) {
      return { fail: err as Error };
    }
    // Another caller may have refreshed while this one waited for the lock.
    const fresh = readCache(locked, minValidityMs, audience);
    if (fresh) {
      await tx.grant.update({ where: { id: locked.id }, data: { lastUsedAt: new Date() } });
      return { ok: fresh };
    }
    return refreshLocked(tx, locked, input, audience, ctx);
  }, TX_OPTIONS);

  if ("fail" in outcome) throw outcome.fail;
  return outcome.ok;
}

async function refreshLocked(
  tx: Prisma.TransactionClient,
  grant: TGrantRow,
  input: TGetDelegatedTokenInput,
  audience: string | null,
  ctx: TOAuthCallContext,
): Promise<TTxOutcome> {
  const now = new Date();
  const offline = openSecret({ keyId: grant.keyId, sealed: grant.refreshTokenEnc }, vaultAad.grantRefresh(grant.id));

  let refreshed: Awaited<ReturnType<typeof refreshOfflineToken>>;
  try {
    refreshed = await refreshOfflineToken(offline, ctx);
  } catch (err) {
    const e = toOAuthError("token.refresh", err);
    if (e instanceof OAuthProviderError && e.error === "invalid_grant") {
      await tx.grant.update({
        where: { id: grant.id },
        data: {
          status: "revoked_at_provider",
          revokedAt: now,
          revokeReason: `invalid_grant: ${e.errorDescription ?? ""}`.trim(),
          lastRefreshAt: now,
          lastRefreshOk: false,
          lastError: e.message,
          accessTokenEnc: null,
          accessExpiresAt: null,
          version: { increment: 1 },
        },
      });
      return { fail: new GrantRevokedError(grant.id, e.errorDescription) };
    }
    await tx.grant.update({ where: { id: grant.id }, data: { lastRefreshAt: now, lastRefreshOk: false, lastError: e.message } });
    return { fail: e };
  }

  // The old offline token is dead from here on: whatever happens next, the rotated one must be stored.
  const sealedRefresh = sealSecret(refreshed.refreshToken, vaultAad.grantRefresh(grant.id));
  let token = refreshed.accessToken;
  let expiresAt = refreshed.accessExpiresAt;
  let source: TDelegatedToken["source"] = "refresh";
  let exchangeError: Error | null = null;
  if (input.exchange) {
    try {
      const opts = typeof input.exchange === "object" ? input.exchange : {};
      const scope = opts.scope ?? refreshed.scopes.filter((s) => !NON_TASK_SCOPES.has(s));
      const ex = await exchangeToken({ subjectToken: refreshed.accessToken, audience: opts.audience ?? env().NEXTCLOUD_AUDIENCE, scope }, ctx);
      token = ex.accessToken;
      expiresAt = ex.accessExpiresAt;
      source = "exchange";
    } catch (err) {
      exchangeError = toOAuthError("token.exchange", err);
    }
  }
  const sealedAccess = exchangeError ? null : sealSecret(token, vaultAad.grantAccess(grant.id));
  await tx.grant.update({
    where: { id: grant.id },
    data: {
      keyId: sealedRefresh.keyId,
      refreshTokenEnc: sealedRefresh.sealed,
      accessTokenEnc: sealedAccess?.sealed ?? null,
      accessExpiresAt: sealedAccess ? expiresAt : null,
      version: { increment: 1 },
      lastRefreshAt: now,
      lastRefreshOk: exchangeError === null,
      lastError: exchangeError?.message ?? null,
      lastUsedAt: now,
      idleExpiresAt: refreshed.refreshExpiresAt ?? undefined,
    },
  });
  if (exchangeError) return { fail: exchangeError };
  const subject = tokenSubject(token) ?? grant.userSub;
  if (audience && !audiencesOf(token).includes(audience)) {
    return { fail: new AppError("ProviderError", `Keycloak issued a token without audience "${audience}"; check the grant's scopes`) };
  }
  return { ok: { token, expiresAt, subject, source } };
}

function assertActive(grant: { id: string; status: string }): void {
  if (grant.status !== "active") {
    throw new AppError("ConsentRevoked", `Grant ${grant.id} is ${grant.status}, not active`, { grantId: grant.id, status: grant.status });
  }
}

/** Null when the caller did not ask for an exchange: then any cached token of the grant will do. */
function requiredAudience(input: TGetDelegatedTokenInput): string | null {
  if (!input.exchange) return null;
  return (typeof input.exchange === "object" && input.exchange.audience) || env().NEXTCLOUD_AUDIENCE;
}

function readCache(
  grant: Pick<TGrantRow, "id" | "userSub" | "keyId" | "accessTokenEnc" | "accessExpiresAt">,
  minValidityMs: number,
  audience: string | null,
): TDelegatedToken | null {
  if (!grant.accessTokenEnc || !grant.accessExpiresAt) return null;
  if (grant.accessExpiresAt.getTime() - Date.now() < minValidityMs) return null;
  const token = openSecret({ keyId: grant.keyId, sealed: grant.accessTokenEnc }, vaultAad.grantAccess(grant.id)) as TUserAccessToken;
  if (audience && !audiencesOf(token).includes(audience)) return null;
  return { token, expiresAt: grant.accessExpiresAt, subject: tokenSubject(token) ?? grant.userSub, source: "cache" };
}


function audiencesOf(token: string): string[] {
  try {
    const aud = decodeJwt(token).aud;
    return Array.isArray(aud) ? aud : aud ? [aud] : [];
  } catch {
    return [];
  }
}
