import "server-only";
import { decodeJwt } from "jose";
import type { Prisma } from "@prisma/client";
import { db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import type { TAuditRecorder } from "../audit/types";
import { vaultAad } from "../vault/aad";
import { openSecret, sealSecret } from "../vault/token-vault";
import { exchangeToken } from "../oauth/exchange-token";
import { ClientMisconfiguredError, GrantRevokedError, classifyRefreshRefusal, toOAuthError } from "../oauth/oauth-errors";
import { refreshOfflineToken } from "../oauth/refresh-offline-token";
import type { TOAuthCallContext } from "../oauth/report-oauth-event";
import { asUserAccessToken, type TUserAccessToken } from "../oauth/token-types";
import { tokenSubject } from "../oauth/token-subject";
import { lockGrant, type TLockedGrant } from "./lock-grant";
import { markRevokedAtProvider } from "./mark-revoked-at-provider";
import { delegatedTokenMemory } from "./delegated-token-memory";
import { audienceOf } from "../oauth/token-response-fields";

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

type TGrantRow = Pick<
  TLockedGrant,
  "id" | "userSub" | "status" | "keyId" | "refreshTokenEnc" | "accessTokenEnc" | "accessExpiresAt" | "lastUsedAt"
>;

type TTxOutcome = { ok: TDelegatedToken } | { fail: Error };

const NON_TASK_SCOPES = new Set(["openid", "offline_access", "profile", "email", "roles", "basic", "web-origins", "acr"]);

const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

/** lastUsedAt is a hint for people, not a lock: written at most this often per grant on the cached path. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The one way the worker and server actions get a token to act for a user. Reuses the sealed cached
 * access token until shortly before it expires; otherwise refreshes the offline token (and optionally
 * exchanges it) while holding the Grant row lock, so refreshes of one grant are serialised across
 * processes and the rotated refresh token is stored in the same transaction (version bumped).
 * Refuses grants that are not active. When Keycloak refuses the grant itself, the grant becomes
 * revoked_at_provider and its tasks stop in that same transaction (GrantRevokedError); when Keycloak
 * refuses our client (wrong credentials), the grant stays active (ClientMisconfiguredError).
 * With `exchange`, only an audience-only token is returned: the consent-time token (audience nextcloud
 * AND the worker) is exchanged on first use instead of being reused. Never returns a service-account token.
 */
export async function getDelegatedToken(input: TGetDelegatedTokenInput): Promise<TDelegatedToken> {
  const minValidityMs = (input.minValiditySeconds ?? 30) * 1000;
  const audience = requiredAudience(input);
  // In a worker with a live revocation listener, the opened token is kept in memory (no read, no decrypt).
  const remembered = delegatedTokenMemory.recall(input.grantId, audience, minValidityMs);
  if (remembered) {
    if (Date.now() - remembered.lastUsedWrittenAt > LAST_USED_GRANULARITY_MS) {
      remembered.lastUsedWrittenAt = Date.now();
      await db().grant.updateMany({ where: { id: input.grantId, status: "active" }, data: { lastUsedAt: new Date() } });
    }
    return remembered.token;
  }
  const epoch = delegatedTokenMemory.epoch();
  const grant = await db().grant.findUnique({ where: { id: input.grantId } });
  if (!grant) throw new AppError("NotFound", `Grant ${input.grantId} does not exist`);
  if (grant.mechanism !== "offline_access") throw new AppError("BadInput", `Grant ${grant.id} is an app password, not a Keycloak token`);
  assertActive(grant);

  const cached = readCache(grant, minValidityMs, audience);
  if (cached) {
    let lastUsed = grant.lastUsedAt?.getTime() ?? 0;
    if (Date.now() - lastUsed > LAST_USED_GRANULARITY_MS) {
      lastUsed = Date.now();
      await db().grant.updateMany({ where: { id: grant.id, status: "active" }, data: { lastUsedAt: new Date() } });
    }
    delegatedTokenMemory.remember(grant.id, audience, cached, epoch, lastUsed);
    return cached;
  }

  const ctx: TOAuthCallContext = {
    recorder: input.recorder,
    correlationId: input.correlationId,
    subject: grant.userSub,
    taskId: input.taskId,
  };
  const outcome = await db().$transaction(async (tx): Promise<TTxOutcome> => {
    const locked = await lockGrant(tx, input.grantId);
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
    // First use after consent: the consent-time token is still valid but not audience-only; exchange it
    // as it is rather than spending a refresh.
    const subjectForExchange = audience ? readCache(locked, minValidityMs, null) : null;
    if (subjectForExchange) return exchangeLocked(tx, locked, subjectForExchange.token, input, audience!, ctx);
    return refreshLocked(tx, locked, input, audience, ctx);
  }, TX_OPTIONS);

  if ("fail" in outcome) {
    delegatedTokenMemory.forget(input.grantId);
    throw outcome.fail;
  }
  delegatedTokenMemory.remember(input.grantId, audience, outcome.ok, epoch, Date.now());
  return outcome.ok;
}

async function refreshLocked(
  tx: Prisma.TransactionClient,
  grant: TLockedGrant,
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
    const refusal = classifyRefreshRefusal(e);
    if (refusal === "revoked") {
      const words = (e as { errorDescription?: string }).errorDescription ?? e.message;
      await markRevokedAtProvider(tx, grant, words, ctx.correlationId);
      return { fail: new GrantRevokedError(grant.id, words) };
    }
    const failure = refusal === "misconfigured" ? new ClientMisconfiguredError("token.refresh", e.message) : e;
    await tx.grant.update({ where: { id: grant.id }, data: { lastRefreshAt: now, lastRefreshOk: false, lastError: failure.message } });
    return { fail: failure };
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
      const scope = opts.scope ?? grantTaskScopes(refreshed.scopes);
      const ex = await exchangeToken(
        { subjectToken: refreshed.accessToken, audience: opts.audience ?? env().NEXTCLOUD_AUDIENCE, scope },
        ctx,
      );
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
      // A refresh that worked is the answer to any pending re-check.
      recheckAt: null,
    },
  });
  if (exchangeError) return { fail: exchangeError };
  const subject = tokenSubject(token) ?? grant.userSub;
  if (audience && !audiencesOf(token).includes(audience)) {
    return { fail: new AppError("ProviderError", `Keycloak issued a token without audience "${audience}"; check the grant's scopes`) };
  }
  return { ok: { token, expiresAt, subject, source } };
}

/** Exchanges a still-valid cached token for an audience-only one and caches the result (no refresh). */
async function exchangeLocked(
  tx: Prisma.TransactionClient,
  grant: TLockedGrant,
  subjectToken: TUserAccessToken,
  input: TGetDelegatedTokenInput,
  audience: string,
  ctx: TOAuthCallContext,
): Promise<TTxOutcome> {
  const opts = typeof input.exchange === "object" ? input.exchange : {};
  const scope = opts.scope ?? grantTaskScopes(grant.scopes);
  try {
    const ex = await exchangeToken({ subjectToken, audience, scope }, ctx);
    if (!isAudienceOnly(ex.accessToken, audience)) {
      return { fail: new AppError("ProviderError", `Keycloak issued an exchanged token whose audience is not only "${audience}"`) };
    }
    // Both sealed columns share one key id: re-seal the offline token with the key the access token gets.
    const sealed = sealSecret(ex.accessToken, vaultAad.grantAccess(grant.id));
    const refresh = sealSecret(
      openSecret({ keyId: grant.keyId, sealed: grant.refreshTokenEnc }, vaultAad.grantRefresh(grant.id)),
      vaultAad.grantRefresh(grant.id),
    );
    await tx.grant.update({
      where: { id: grant.id },
      data: {
        keyId: sealed.keyId,
        refreshTokenEnc: refresh.sealed,
        accessTokenEnc: sealed.sealed,
        accessExpiresAt: ex.accessExpiresAt,
        lastUsedAt: new Date(),
      },
    });
    return {
      ok: {
        token: ex.accessToken,
        expiresAt: ex.accessExpiresAt,
        subject: tokenSubject(ex.accessToken) ?? grant.userSub,
        source: "exchange",
      },
    };
  } catch (err) {
    return { fail: toOAuthError("token.exchange", err) };
  }
}

function grantTaskScopes(scopes: string[]): string[] {
  return scopes.filter((s) => !NON_TASK_SCOPES.has(s));
}

function isAudienceOnly(token: string, audience: string): boolean {
  const aud = audiencesOf(token);
  return aud.length === 1 && aud[0] === audience;
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
  const token = asUserAccessToken(openSecret({ keyId: grant.keyId, sealed: grant.accessTokenEnc }, vaultAad.grantAccess(grant.id)));
  // An exchange was asked for: only an audience-only token (the result of one) will do.
  if (audience && !isAudienceOnly(token, audience)) return null;
  return { token, expiresAt: grant.accessExpiresAt, subject: tokenSubject(token) ?? grant.userSub, source: "cache" };
}

function audiencesOf(token: string): string[] {
  try {
    return audienceOf(decodeJwt(token).aud);
  } catch {
    return [];
  }
}
