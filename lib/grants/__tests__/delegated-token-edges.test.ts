import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { sealSecret } from "@/lib/vault/token-vault";
import { vaultAad } from "@/lib/vault/aad";
import { setRevocationListenerLive } from "../revocation-hints";
import { createLocalGrant, createLocalPerson } from "@/test/fixtures/local-grant";
import { fakeJwt } from "@/test/fake-jwt";

/**
 * The token module's edges, with Keycloak's refresh and exchange as fakes (like delegated-token-rules.test.ts):
 * what happens to a caller that waited on the grant's row lock while the row changed, the exact time bounds,
 * errors that are not OAuth answers, and tokens whose audience is odd. No Keycloak, no shared lock.
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
    (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
  );
const reasonOf = (r: PromiseSettledResult<unknown>) => {
  const e = (r.status === "rejected" ? r.reason : null) as { code?: string; message?: string } | null;
  return e ? `${e.code}: ${e.message}` : "succeeded";
};
const row = (id: string) => db().grant.findUniqueOrThrow({ where: { id } });

let userSub: string;
const accessFor = (aud: string | string[]) => fakeJwt({ sub: userSub, aud, jti: randomUUID() });
const refreshed = (scopes = ["openid", "offline_access", "notes.read"]) => ({
  accessToken: accessFor([AUDIENCE, WORKER]),
  accessExpiresAt: new Date(Date.now() + 300_000),
  refreshToken: `rotated-${randomUUID()}`,
  refreshExpiresAt: null,
  scopes,
  subject: userSub,
});

/** A grant of a fresh person; with `cached`, a sealed access token expiring `expiresAt`. */
async function freshGrant(cached?: { token: string; expiresAt: Date; lastUsedAt?: Date | null }): Promise<string> {
  userSub = (await createLocalPerson("dte")).userSub;
  const grantId = await createLocalGrant(userSub);
  if (cached) await storeCached(grantId, cached.token, cached.expiresAt, cached.lastUsedAt ?? null);
  return grantId;
}
async function storeCached(
  grantId: string,
  token: string,
  expiresAt: Date,
  lastUsedAt: Date | null,
  tx: Pick<ReturnType<typeof db>, "grant"> = db(),
) {
  const g = await tx.grant.findUniqueOrThrow({ where: { id: grantId } });
  const access = sealSecret(token, vaultAad.grantAccess(grantId));
  if (access.keyId !== g.keyId) throw new Error("test keys changed");
  await tx.grant.update({ where: { id: grantId }, data: { accessTokenEnc: access.sealed, accessExpiresAt: expiresAt, lastUsedAt } });
}

/**
 * Holds the grant's row lock in a transaction of the test's own until `call` is waiting for it (seen in
 * pg_stat_activity, not guessed with a sleep), then lets `change` alter the row and commits.
 */
async function whileCallWaitsOnTheLock<T>(
  grantId: string,
  start: () => Promise<T>,
  change: (tx: Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0]) => Promise<void>,
): Promise<PromiseSettledResult<T>> {
  let settled!: Promise<PromiseSettledResult<T>>;
  await db().$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Grant" WHERE id = ${grantId} FOR UPDATE`;
      settled = start().then(
        (value) => ({ status: "fulfilled", value }) as const,
        (reason: unknown) => ({ status: "rejected", reason }) as const,
      );
      await expect
        .poll(
          async () =>
            (
              await db().$queryRaw<
                { n: bigint }[]
              >`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%' AND datname = current_database()`
            )[0]!.n,
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0n);
      await change(tx);
    },
    { timeout: 20_000 },
  );
  return settled;
}

beforeEach(() => {
  fakes.refresh.mockReset();
  fakes.exchange.mockReset();
  setRevocationListenerLive(false);
});
afterEach(() => {
  vi.useRealTimers();
  setRevocationListenerLive(false);
});

describe("a caller that waited on the row lock while the row changed", () => {
  it("is refused when the grant stopped meanwhile, and does not refresh", async () => {
    const grantId = await freshGrant();
    const result = await whileCallWaitsOnTheLock(
      grantId,
      () => call(grantId),
      async (tx) => {
        await tx.grant.update({ where: { id: grantId }, data: { status: "revoking" } });
      },
    );
    expect(reasonOf(result)).toBe(`ConsentRevoked: Grant ${grantId} is revoking, not active`);
    expect(fakes.refresh).not.toHaveBeenCalled();
  });

  it("is told the grant is gone when it was deleted meanwhile", async () => {
    const grantId = await freshGrant();
    const result = await whileCallWaitsOnTheLock(
      grantId,
      () => call(grantId),
      async (tx) => {
        await tx.grant.delete({ where: { id: grantId } });
      },
    );
    expect(reasonOf(result)).toBe(`NotFound: Grant ${grantId} does not exist`);
    expect(fakes.refresh).not.toHaveBeenCalled();
  });

  it("uses the token another caller stored meanwhile, and records the use", async () => {
    const grantId = await freshGrant();
    const token = accessFor(AUDIENCE);
    const long = new Date(Date.now() - 3_600_000);
    const result = await whileCallWaitsOnTheLock(
      grantId,
      () => call(grantId),
      async (tx) => {
        await storeCached(grantId, token, new Date(Date.now() + 300_000), long, tx);
      },
    );
    expect(result).toMatchObject({ status: "fulfilled", value: { token, source: "cache" } });
    expect(fakes.refresh).not.toHaveBeenCalled();
    expect((await row(grantId)).lastUsedAt!.getTime()).toBeGreaterThan(long.getTime() + 3_000_000);
  });
});

describe("exact time bounds", () => {
  it("a cached token with exactly the minimum validity left is still used", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const grantId = await freshGrant({ token: accessFor(AUDIENCE), expiresAt: new Date(Date.now() + 30_000) });
    expect((await call(grantId)).source).toBe("cache");
    setRevocationListenerLive(true);
    await call(grantId);
    // From memory too, at exactly the bound.
    expect((await call(grantId)).source).toBe("cache");
    expect(fakes.refresh).not.toHaveBeenCalled();
  });

  it("lastUsedAt is written only when more than a minute has passed, not at exactly a minute", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const minuteAgo = new Date(Date.now() - 60_000);
    const grantId = await freshGrant({ token: accessFor(AUDIENCE), expiresAt: new Date(Date.now() + 300_000), lastUsedAt: minuteAgo });
    setRevocationListenerLive(true);
    await call(grantId);
    expect((await row(grantId)).lastUsedAt).toEqual(minuteAgo);
    // Now from memory, which remembers the write of a minute ago.
    await call(grantId);
    expect((await row(grantId)).lastUsedAt).toEqual(minuteAgo);
  });

  it("writing lastUsedAt touches only this grant", async () => {
    const otherGrant = await freshGrant({ token: accessFor(AUDIENCE), expiresAt: new Date(Date.now() + 300_000) });
    const old = new Date(Date.now() - 3_600_000);
    await db().grant.update({ where: { id: otherGrant }, data: { lastUsedAt: old } });
    const grantId = await freshGrant({ token: accessFor(AUDIENCE), expiresAt: new Date(Date.now() + 300_000), lastUsedAt: old });
    await call(grantId);
    expect((await row(grantId)).lastUsedAt!.getTime()).toBeGreaterThan(old.getTime());
    expect((await row(otherGrant)).lastUsedAt).toEqual(old);
  });
});

describe("errors that are not OAuth answers", () => {
  it("name the step that failed: the refresh, the exchange after it, or the first-use exchange", async () => {
    let grantId = await freshGrant();
    fakes.refresh.mockRejectedValueOnce(new Error("socket hang up"));
    expect(await failure(call(grantId))).toBe("IdpUnavailable: Keycloak unavailable during token.refresh: socket hang up");

    grantId = await freshGrant();
    fakes.refresh.mockResolvedValueOnce(refreshed());
    fakes.exchange.mockRejectedValueOnce(new Error("connection reset"));
    expect(await failure(call(grantId, { exchange: true }))).toBe(
      "IdpUnavailable: Keycloak unavailable during token.exchange: connection reset",
    );

    grantId = await freshGrant({ token: accessFor([AUDIENCE, WORKER]), expiresAt: new Date(Date.now() + 300_000) });
    fakes.exchange.mockRejectedValueOnce(new Error("timeout"));
    expect(await failure(call(grantId, { exchange: true }))).toBe("IdpUnavailable: Keycloak unavailable during token.exchange: timeout");
  });

  it("a grant that is not active is refused with its id and status as details", async () => {
    const grantId = await freshGrant();
    await db().grant.update({ where: { id: grantId }, data: { status: "revoking" } });
    await expect(call(grantId)).rejects.toMatchObject({ code: "ConsentRevoked", details: { grantId, status: "revoking" } });
  });
});

describe("audiences", () => {
  it("asks the exchange for task scopes only, leaving out every OpenID and Keycloak default scope", async () => {
    const grantId = await freshGrant();
    fakes.refresh.mockResolvedValueOnce(
      refreshed(["openid", "offline_access", "profile", "email", "roles", "basic", "web-origins", "acr", "notes.read", "files.read"]),
    );
    fakes.exchange.mockResolvedValueOnce({
      accessToken: accessFor(AUDIENCE),
      accessExpiresAt: new Date(Date.now() + 60_000),
      issuedTokenType: null,
      scopes: [],
    });
    await call(grantId, { exchange: true });
    expect(fakes.exchange.mock.calls[0]![0].scope).toEqual(["notes.read", "files.read"]);
  });

  it("a cached token for one other audience is not taken for the one asked for", async () => {
    const grantId = await freshGrant({ token: accessFor("other-api"), expiresAt: new Date(Date.now() + 300_000) });
    const exchanged = accessFor(AUDIENCE);
    fakes.exchange.mockResolvedValueOnce({
      accessToken: exchanged,
      accessExpiresAt: new Date(Date.now() + 60_000),
      issuedTokenType: null,
      scopes: [],
    });
    expect(await call(grantId, { exchange: true })).toMatchObject({ token: exchanged, source: "exchange" });
  });

  // An exchange answer whose token is opaque (not a JWT), so it carries no audience to check.
  const opaqueExchange = () => ({
    accessToken: "opaque-exchanged",
    accessExpiresAt: new Date(Date.now() + 60_000),
    issuedTokenType: null,
    scopes: [],
  });

  it("a token that is not a JWT has no audience: refused after a refresh and after a first-use exchange", async () => {
    let grantId = await freshGrant();
    fakes.refresh.mockResolvedValueOnce(refreshed());
    fakes.exchange.mockResolvedValueOnce(opaqueExchange());
    expect(await failure(call(grantId, { exchange: true }))).toBe(
      `ProviderError: Keycloak issued a token without audience "${AUDIENCE}"; check the grant's scopes`,
    );
    grantId = await freshGrant({ token: accessFor([AUDIENCE, WORKER]), expiresAt: new Date(Date.now() + 300_000) });
    fakes.exchange.mockResolvedValueOnce(opaqueExchange());
    expect(await failure(call(grantId, { exchange: true }))).toBe(
      `ProviderError: Keycloak issued an exchanged token whose audience is not only "${AUDIENCE}"`,
    );
  });
});
