import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { sealSecret, openSecret } from "@/lib/vault/token-vault";
import { vaultAad } from "@/lib/vault/aad";
import { OAuthProviderError, IdpUnavailableError } from "@/lib/oauth/oauth-errors";
import { applyRevocationNotice, setRevocationListenerLive } from "../revocation-hints";
import { lockActiveGrantOf, lockGrant } from "../lock-grant";
import { WIPED_GRANT_SECRETS } from "../grant-lifecycle";
import { createLocalGrant, createLocalPerson, createLocalTask } from "@/test/fixtures/local-grant";
import { fakeJwt } from "@/test/fake-jwt";

/**
 * Every rule of the token module (getDelegatedToken) with Keycloak's two token calls replaced by fakes
 * that answer what a case needs — a refusal, a rotation, an exchange with the wrong audience — against real
 * Grant rows, the real vault and the real row lock. No Keycloak and no shared lock: fast enough to run for
 * every mutant. (get-delegated-token.test.ts proves the same paths against the real Keycloak.)
 */
const fakes = vi.hoisted(() => ({ refresh: vi.fn(), exchange: vi.fn() }));
vi.mock("@/lib/oauth/refresh-offline-token", () => ({ refreshOfflineToken: fakes.refresh }));
vi.mock("@/lib/oauth/exchange-token", () => ({ exchangeToken: fakes.exchange }));
const { getDelegatedToken } = await import("../get-delegated-token");

const WORKER = process.env.KEYCLOAK_WORKER_CLIENT_ID!;
const AUDIENCE = process.env.NEXTCLOUD_AUDIENCE ?? "nextcloud";
const recorder = async () => {};
const call = (grantId: string, more: Record<string, unknown> = {}) =>
  getDelegatedToken({ grantId, recorder, correlationId: randomUUID(), ...more });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => "succeeded",
    (e: { code?: string; message?: string; constructor: { name: string } }) => `${e.constructor.name} ${e.code}: ${e.message}`,
  );
const row = (id: string) => db().grant.findUniqueOrThrow({ where: { id } });
const opened = async (id: string) => {
  const g = await row(id);
  return {
    refresh: openSecret({ keyId: g.keyId, sealed: g.refreshTokenEnc }, vaultAad.grantRefresh(id)),
    access: g.accessTokenEnc ? openSecret({ keyId: g.keyId, sealed: g.accessTokenEnc }, vaultAad.grantAccess(id)) : null,
  };
};

let userSub: string;
let grantId: string;
let offline: string;

/** A grant of a fresh person whose sealed offline token is `offline`; optionally a cached access token (returned). */
async function freshGrant(cached?: { token: (sub: string) => string; expiresInMs: number; lastUsedAt?: Date | null }): Promise<string> {
  userSub = (await createLocalPerson("dtr")).userSub;
  const token = cached?.token(userSub) ?? "";
  grantId = await createLocalGrant(userSub, ["openid", "offline_access", "notes.read", "files.read"]);
  offline = `offline-${randomUUID()}`;
  const refresh = sealSecret(offline, vaultAad.grantRefresh(grantId));
  const access = cached ? sealSecret(token, vaultAad.grantAccess(grantId)) : null;
  await db().grant.update({
    where: { id: grantId },
    data: {
      keyId: refresh.keyId,
      refreshTokenEnc: refresh.sealed,
      accessTokenEnc: access?.sealed ?? null,
      accessExpiresAt: cached ? new Date(Date.now() + cached.expiresInMs) : null,
      lastUsedAt: cached?.lastUsedAt ?? null,
      idleExpiresAt: new Date("2030-01-01T00:00:00Z"),
    },
  });
  return token;
}

const accessFor = (aud: string | string[], sub: string) => fakeJwt({ sub, aud, jti: randomUUID() });
/** What refreshOfflineToken returns: a rotated offline token and a fresh access token. */
function refreshed(over: Record<string, unknown> = {}) {
  return {
    accessToken: accessFor([AUDIENCE, WORKER], userSub),
    accessExpiresAt: new Date(Date.now() + 300_000),
    refreshToken: `rotated-${randomUUID()}`,
    refreshExpiresAt: new Date(Date.now() + 3_600_000),
    scopes: ["openid", "offline_access", "profile", "email", "notes.read"],
    subject: userSub,
    ...over,
  };
}
const exchanged = (aud: string | string[] = AUDIENCE) => ({
  accessToken: accessFor(aud, userSub),
  accessExpiresAt: new Date(Date.now() + 120_000),
  issuedTokenType: null,
  scopes: ["notes.read"],
});
const providerError = (error: string, description?: string) => new OAuthProviderError("token.refresh", error, description, 400);

beforeEach(() => {
  fakes.refresh.mockReset();
  fakes.exchange.mockReset();
  setRevocationListenerLive(false);
});
afterEach(() => setRevocationListenerLive(false));

describe("getDelegatedToken: refusals before any call to Keycloak", () => {
  it("refuses a grant that does not exist", async () => {
    expect(await failure(call("no-such-grant"))).toBe("AppError NotFound: Grant no-such-grant does not exist");
    expect(fakes.refresh).not.toHaveBeenCalled();
  });

  it("refuses a grant that is not active, even with a valid cached token", async () => {
    for (const status of ["revoking", "revoked", "revoked_at_provider"] as const) {
      await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 300_000 });
      await db().grant.update({ where: { id: grantId }, data: { status } });
      expect(await failure(call(grantId)), status).toBe(`AppError ConsentRevoked: Grant ${grantId} is ${status}, not active`);
      // This row was forged (a final state that still holds tokens): leave it as the state machine would, since
      // grant-lifecycle.test.ts checks that no final row in the database keeps sealed token material.
      await db().grant.update({ where: { id: grantId }, data: WIPED_GRANT_SECRETS });
    }
    expect(fakes.refresh).not.toHaveBeenCalled();
  });
});

describe("getDelegatedToken: the cached access token", () => {
  it("is reused while it has more than 30 s left, with its subject, and lastUsedAt is written", async () => {
    const token = await freshGrant({ token: (s) => accessFor([AUDIENCE, WORKER], s), expiresInMs: 45_000 });
    const before = Date.now();
    const got = await call(grantId);
    expect(got).toMatchObject({ token, subject: userSub, source: "cache" });
    expect(got.expiresAt.getTime()).toBe((await row(grantId)).accessExpiresAt!.getTime());
    expect((await row(grantId)).lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(fakes.refresh).not.toHaveBeenCalled();
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const recent = new Date(Date.now() - 30_000);
    await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 300_000, lastUsedAt: recent });
    await call(grantId);
    expect((await row(grantId)).lastUsedAt!.getTime()).toBe(recent.getTime());
    const old = new Date(Date.now() - 61_000);
    await db().grant.update({ where: { id: grantId }, data: { lastUsedAt: old } });
    await call(grantId);
    expect((await row(grantId)).lastUsedAt!.getTime()).toBeGreaterThan(old.getTime() + 30_000);
  });

  it("falls back to the grant's user when the token names no subject", async () => {
    await freshGrant({ token: () => fakeJwt({ aud: AUDIENCE }), expiresInMs: 300_000 });
    expect((await call(grantId)).subject).toBe(userSub);
  });

  it("is not reused with 30 s or less left, unless the caller asks for less", async () => {
    await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 29_000 });
    expect((await call(grantId, { minValiditySeconds: 20 })).source).toBe("cache");
    fakes.refresh.mockResolvedValueOnce(refreshed());
    expect((await call(grantId)).source).toBe("refresh");
    expect(fakes.refresh).toHaveBeenCalledTimes(1);
  });
});

describe("getDelegatedToken: refresh", () => {
  it("refreshes with the sealed offline token and stores the rotation, the new access token and the health fields", async () => {
    await freshGrant();
    await db().grant.update({ where: { id: grantId }, data: { recheckAt: new Date(), lastError: "old", lastRefreshOk: false } });
    const answer = refreshed();
    fakes.refresh.mockResolvedValueOnce(answer);
    const { version } = await row(grantId);
    const before = Date.now();
    const got = await call(grantId, { taskId: "task-1" });
    expect(got).toEqual({ token: answer.accessToken, expiresAt: answer.accessExpiresAt, subject: userSub, source: "refresh" });
    expect(fakes.refresh).toHaveBeenCalledWith(offline, expect.objectContaining({ subject: userSub, taskId: "task-1" }));
    expect(await opened(grantId)).toEqual({ refresh: answer.refreshToken, access: answer.accessToken });
    const g = await row(grantId);
    expect(g).toMatchObject({
      version: version + 1,
      lastRefreshOk: true,
      lastError: null,
      recheckAt: null,
      accessExpiresAt: answer.accessExpiresAt,
      idleExpiresAt: answer.refreshExpiresAt,
    });
    for (const at of [g.lastRefreshAt!, g.lastUsedAt!]) expect(at.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(fakes.exchange).not.toHaveBeenCalled();
  });

  it("keeps the idle expiry it knew when Keycloak reports none", async () => {
    await freshGrant();
    fakes.refresh.mockResolvedValueOnce(refreshed({ refreshExpiresAt: null }));
    await call(grantId);
    expect((await row(grantId)).idleExpiresAt).toEqual(new Date("2030-01-01T00:00:00Z"));
  });

  it("uses the refreshed token's subject, not the row's, when they differ", async () => {
    await freshGrant();
    fakes.refresh.mockResolvedValueOnce(refreshed({ accessToken: accessFor(AUDIENCE, "someone-keycloak-named") }));
    expect((await call(grantId)).subject).toBe("someone-keycloak-named");
  });

  it("serialises concurrent callers on the row lock: one refresh, the others read what it stored", async () => {
    await freshGrant();
    const answer = refreshed();
    fakes.refresh.mockImplementation(async () => {
      await new Promise((r) => setTimeout(r, 200));
      return answer;
    });
    const all = await Promise.all([call(grantId), call(grantId), call(grantId)]);
    expect(fakes.refresh).toHaveBeenCalledTimes(1);
    expect(all.map((t) => t.token)).toEqual([answer.accessToken, answer.accessToken, answer.accessToken]);
    expect(all.map((t) => t.source).sort()).toEqual(["cache", "cache", "refresh"]);
  });

  it("a refusal of the grant (invalid_grant) makes it revoked_at_provider, wipes its tokens and stops its tasks", async () => {
    await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 1_000 });
    const task = await createLocalTask(userSub, grantId, "notes-index");
    fakes.refresh.mockRejectedValueOnce(providerError("invalid_grant", "Offline user session not found"));
    expect(await failure(call(grantId))).toBe(
      `GrantRevokedError ConsentRevoked: Grant ${grantId} was revoked at the provider: Offline user session not found`,
    );
    expect(await row(grantId)).toMatchObject({
      status: "revoked_at_provider",
      refreshTokenEnc: "",
      accessTokenEnc: null,
      lastError: "Offline user session not found",
    });
    expect((await db().task.findUniqueOrThrow({ where: { id: task } })).status).toBe("revoked");
    // Refused from now on without asking Keycloak again.
    expect(await failure(call(grantId))).toMatch(/ConsentRevoked: .* is revoked_at_provider, not active/);
    expect(fakes.refresh).toHaveBeenCalledTimes(1);
  });

  it("a refusal without a description is still a revocation, named by the provider's words", async () => {
    await freshGrant();
    fakes.refresh.mockRejectedValueOnce(providerError("invalid_grant"));
    expect(await failure(call(grantId))).toBe(
      `GrantRevokedError ConsentRevoked: Grant ${grantId} was revoked at the provider: invalid_grant`,
    );
    expect((await row(grantId)).status).toBe("revoked_at_provider");
  });

  it("a refusal of our client (invalid_client) leaves the grant active and records the failure", async () => {
    await freshGrant();
    fakes.refresh.mockRejectedValueOnce(providerError("invalid_client", "Invalid client credentials"));
    const before = Date.now();
    expect(await failure(call(grantId))).toMatch(
      /^ClientMisconfiguredError Misconfigured: The worker client was refused during token.refresh \(invalid_client: Invalid client credentials\)/,
    );
    const g = await row(grantId);
    expect(g).toMatchObject({ status: "active", lastRefreshOk: false, lastError: expect.stringMatching(/^The worker client was refused/) });
    expect(g.lastRefreshAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect((await opened(grantId)).refresh).toBe(offline);
  });

  it("an outage leaves the grant active, keeps the offline token, and passes the error on", async () => {
    await freshGrant();
    fakes.refresh.mockRejectedValueOnce(new IdpUnavailableError("token.refresh", "connect ECONNREFUSED"));
    expect(await failure(call(grantId))).toBe(
      "IdpUnavailableError IdpUnavailable: Keycloak unavailable during token.refresh: connect ECONNREFUSED",
    );
    expect(await row(grantId)).toMatchObject({
      status: "active",
      lastRefreshOk: false,
      lastError: "Keycloak unavailable during token.refresh: connect ECONNREFUSED",
    });
    expect((await opened(grantId)).refresh).toBe(offline);
  });
});

describe("getDelegatedToken: refresh then exchange (RFC 8693)", () => {
  it("exchanges the refreshed token for the Nextcloud audience with the grant's task scopes only", async () => {
    await freshGrant();
    const answer = refreshed();
    const ex = exchanged();
    fakes.refresh.mockResolvedValueOnce(answer);
    fakes.exchange.mockResolvedValueOnce(ex);
    const got = await call(grantId, { exchange: true });
    expect(got).toEqual({ token: ex.accessToken, expiresAt: ex.accessExpiresAt, subject: userSub, source: "exchange" });
    expect(fakes.exchange).toHaveBeenCalledWith(
      { subjectToken: answer.accessToken, audience: AUDIENCE, scope: ["notes.read"] },
      expect.objectContaining({ subject: userSub }),
    );
    expect(await opened(grantId)).toEqual({ refresh: answer.refreshToken, access: ex.accessToken });
    expect((await row(grantId)).accessExpiresAt).toEqual(ex.accessExpiresAt);
  });

  it("uses the audience and scope the caller names", async () => {
    await freshGrant();
    fakes.refresh.mockResolvedValueOnce(refreshed());
    fakes.exchange.mockResolvedValueOnce(exchanged("other-api"));
    expect((await call(grantId, { exchange: { audience: "other-api", scope: ["x.read"] } })).source).toBe("exchange");
    expect(fakes.exchange.mock.calls[0]![0]).toMatchObject({ audience: "other-api", scope: ["x.read"] });
  });

  it("a failed exchange still stores the rotated offline token, keeps no access token, and fails", async () => {
    await freshGrant();
    const answer = refreshed();
    fakes.refresh.mockResolvedValueOnce(answer);
    fakes.exchange.mockRejectedValueOnce(new OAuthProviderError("token.exchange", "access_denied", "Client not allowed to exchange", 403));
    expect(await failure(call(grantId, { exchange: true }))).toBe(
      "OAuthProviderError ProviderError: access_denied: Client not allowed to exchange",
    );
    expect(await opened(grantId)).toEqual({ refresh: answer.refreshToken, access: null });
    expect(await row(grantId)).toMatchObject({
      status: "active",
      accessExpiresAt: null,
      lastRefreshOk: false,
      lastError: "access_denied: Client not allowed to exchange",
    });
  });

  it("refuses an exchanged token that does not carry the audience", async () => {
    await freshGrant();
    fakes.refresh.mockResolvedValueOnce(refreshed());
    fakes.exchange.mockResolvedValueOnce(exchanged("account"));
    expect(await failure(call(grantId, { exchange: true }))).toBe(
      `AppError ProviderError: Keycloak issued a token without audience "${AUDIENCE}"; check the grant's scopes`,
    );
  });

  it("with exchange, reuses a cached token only when its audience is exactly the one asked for", async () => {
    const audienceOnly = await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 300_000 });
    expect(await call(grantId, { exchange: true })).toMatchObject({ token: audienceOnly, source: "cache" });
    expect(fakes.exchange).not.toHaveBeenCalled();
  });
});

describe("getDelegatedToken: first use after consent (exchange of the consent-time token)", () => {
  it("exchanges the still-valid consent-time token instead of spending a refresh, and caches the result", async () => {
    const consentTime = await freshGrant({ token: (s) => accessFor([AUDIENCE, WORKER], s), expiresInMs: 300_000 });
    const ex = exchanged();
    fakes.exchange.mockResolvedValueOnce(ex);
    const got = await call(grantId, { exchange: true });
    expect(got).toEqual({ token: ex.accessToken, expiresAt: ex.accessExpiresAt, subject: userSub, source: "exchange" });
    expect(fakes.refresh).not.toHaveBeenCalled();
    expect(fakes.exchange).toHaveBeenCalledWith(
      { subjectToken: consentTime, audience: AUDIENCE, scope: ["notes.read", "files.read"] },
      expect.anything(),
    );
    // Both columns under one key id; the offline token is unchanged.
    expect(await opened(grantId)).toEqual({ refresh: offline, access: ex.accessToken });
    expect((await row(grantId)).accessExpiresAt).toEqual(ex.accessExpiresAt);
    // Now audience-only and cached: the next call needs nothing from Keycloak.
    expect(await call(grantId, { exchange: true })).toMatchObject({ token: ex.accessToken, source: "cache" });
    expect(fakes.exchange).toHaveBeenCalledTimes(1);
  });

  it("with an explicit scope, asks for exactly that scope", async () => {
    await freshGrant({ token: (s) => accessFor([AUDIENCE, WORKER], s), expiresInMs: 300_000 });
    fakes.exchange.mockResolvedValueOnce(exchanged());
    await call(grantId, { exchange: { scope: ["files.read"] } });
    expect(fakes.exchange.mock.calls[0]![0]).toMatchObject({ audience: AUDIENCE, scope: ["files.read"] });
  });

  it("refuses an exchanged token whose audience is not only the one asked for, and stores nothing", async () => {
    const consentTime = await freshGrant({ token: (s) => accessFor([AUDIENCE, WORKER], s), expiresInMs: 300_000 });
    fakes.exchange.mockResolvedValueOnce(exchanged([AUDIENCE, "account"]));
    expect(await failure(call(grantId, { exchange: true }))).toBe(
      `AppError ProviderError: Keycloak issued an exchanged token whose audience is not only "${AUDIENCE}"`,
    );
    expect(await opened(grantId)).toEqual({ refresh: offline, access: consentTime });
  });

  it("a failed exchange fails and changes nothing", async () => {
    const consentTime = await freshGrant({ token: (s) => accessFor([AUDIENCE, WORKER], s), expiresInMs: 300_000 });
    fakes.exchange.mockRejectedValueOnce(new IdpUnavailableError("token.exchange", "timeout"));
    expect(await failure(call(grantId, { exchange: true }))).toBe(
      "IdpUnavailableError IdpUnavailable: Keycloak unavailable during token.exchange: timeout",
    );
    expect(await opened(grantId)).toEqual({ refresh: offline, access: consentTime });
    expect((await row(grantId)).status).toBe("active");
  });

  it("a consent-time token about to expire is refreshed, then exchanged", async () => {
    await freshGrant({ token: (s) => accessFor([AUDIENCE, WORKER], s), expiresInMs: 10_000 });
    const answer = refreshed();
    fakes.refresh.mockResolvedValueOnce(answer);
    fakes.exchange.mockResolvedValueOnce(exchanged());
    expect((await call(grantId, { exchange: true })).source).toBe("exchange");
    expect(fakes.exchange.mock.calls[0]![0]).toMatchObject({ subjectToken: answer.accessToken });
  });
});

describe("getDelegatedToken: the in-memory cache of a worker with a live revocation listener", () => {
  it("keeps the token in memory only while the listener is live, and forgets a grant as soon as its revocation is heard", async () => {
    await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 300_000 });
    setRevocationListenerLive(true);
    const first = await call(grantId);
    // Revoked behind the memory's back (no notice): memory still answers — the per-request check stops runs.
    await db().grant.update({ where: { id: grantId }, data: { status: "revoking" } });
    expect((await call(grantId)).token).toBe(first.token);
    applyRevocationNotice({ grantIds: [grantId] });
    expect(await failure(call(grantId))).toMatch(/ConsentRevoked: .* is revoking, not active/);
  });

  it("asks the database again once the listener is lost", async () => {
    await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 300_000 });
    setRevocationListenerLive(true);
    await call(grantId);
    await db().grant.update({ where: { id: grantId }, data: { status: "revoking" } });
    setRevocationListenerLive(false);
    expect(await failure(call(grantId))).toMatch(/ConsentRevoked/);
  });

  it("remembers tokens per audience: a plain token does not answer a call that asks for an exchange", async () => {
    await freshGrant({ token: (s) => accessFor([AUDIENCE, WORKER], s), expiresInMs: 300_000 });
    setRevocationListenerLive(true);
    expect((await call(grantId)).source).toBe("cache");
    fakes.exchange.mockResolvedValueOnce(exchanged());
    expect((await call(grantId, { exchange: true })).source).toBe("exchange");
  });

  it("does not keep a token that is about to expire", async () => {
    await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 300_000 });
    setRevocationListenerLive(true);
    await call(grantId);
    fakes.refresh.mockResolvedValueOnce(refreshed());
    expect((await call(grantId, { minValiditySeconds: 600 })).source).toBe("refresh");
  });

  it("writes lastUsedAt from memory at most once a minute", async () => {
    await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 300_000 });
    setRevocationListenerLive(true);
    await call(grantId);
    const written = (await row(grantId)).lastUsedAt!;
    await call(grantId);
    expect((await row(grantId)).lastUsedAt).toEqual(written);
  });
});

describe("getDelegatedToken: lastUsedAt from the in-memory cache", () => {
  afterEach(() => vi.useRealTimers());

  it("is written again once a minute has passed, and only while the row is still active", async () => {
    const recent = new Date(Date.now() - 10_000);
    await freshGrant({ token: (s) => accessFor(AUDIENCE, s), expiresInMs: 300_000, lastUsedAt: recent });
    setRevocationListenerLive(true);
    await call(grantId);
    expect((await row(grantId)).lastUsedAt).toEqual(recent);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 51_000);
    await call(grantId);
    // 61 s after the last write: written now.
    expect((await row(grantId)).lastUsedAt!.getTime()).toBeGreaterThanOrEqual(recent.getTime() + 61_000);
    const written = (await row(grantId)).lastUsedAt!;
    vi.setSystemTime(Date.now() + 61_000);
    await db().grant.update({ where: { id: grantId }, data: { status: "revoking" } });
    expect((await call(grantId)).source).toBe("cache");
    expect((await row(grantId)).lastUsedAt).toEqual(written);
  });
});

describe("lockGrant", () => {
  it("finds the grant by id, and by id and owner only for its owner", async () => {
    await freshGrant();
    const other = (await createLocalPerson("dtr-other")).userSub;
    const locked = await db().$transaction(async (tx) => ({
      byId: await lockGrant(tx, grantId),
      byOwner: await lockGrant(tx, grantId, userSub),
      byStranger: await lockGrant(tx, grantId, other),
      active: await lockActiveGrantOf(tx, userSub, WORKER),
      noneActive: await lockActiveGrantOf(tx, other, WORKER),
    }));
    expect(locked.byId).toMatchObject({
      id: grantId,
      userSub,
      clientId: WORKER,
      status: "active",
      scopes: ["openid", "offline_access", "notes.read", "files.read"],
    });
    expect(locked.byOwner?.id).toBe(grantId);
    expect(locked.byStranger).toBeNull();
    expect(locked.active?.id).toBe(grantId);
    expect(locked.noneActive).toBeNull();
  });
});
