import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { decodeJwt } from "jose";
import { db } from "@/lib/db";
import { getDelegatedToken } from "@/lib/grants/get-delegated-token";
import { getOidcConfig } from "@/lib/oauth/get-oidc-config";
import { revokeToken } from "@/lib/oauth/revoke-token";
import { GrantRevokedError } from "@/lib/oauth/oauth-errors";
import { listOfflineSessions } from "@/test/keycloak/admin-api";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp, createMemoryRecorder, currentOfflineToken, expireCachedAccessToken } from "@/test/keycloak/grant-fixture";

let grantId: string;
let aliceId: string;
// People of this file's own: one grant per person and worker, so each scenario gets its person.
let alice: TPerson;
let doomedPerson: TPerson;
let pausedPerson: TPerson;
const cleanup: string[] = [];

/** Counts refresh_token grants that actually reach Keycloak's token endpoint. */
async function countRefreshPosts<T>(fn: () => Promise<T>): Promise<{ result: T; posts: number }> {
  const config = await getOidcConfig();
  let posts = 0;
  config[oidc.customFetch] = async (url, options) => {
    if (
      (options.body instanceof URLSearchParams || typeof options.body === "string" ? options.body.toString() : "").includes(
        "grant_type=refresh_token",
      )
    )
      posts++;
    return fetch(url, options as RequestInit);
  };
  try {
    return { result: await fn(), posts };
  } finally {
    config[oidc.customFetch] = undefined as unknown as oidc.CustomFetch;
  }
}

beforeAll(async () => {
  alice = await createPerson("delegated");
  doomedPerson = await createPerson("doomed");
  pausedPerson = await createPerson("paused");
  aliceId = alice.sub;
  grantId = (await createGrantOverHttp(alice, ["notes.read"])).grantId;
  cleanup.push(grantId);
});

afterAll(async () => {
  const ctx = { recorder: createMemoryRecorder(), correlationId: "cleanup" };
  for (const id of cleanup) await revokeToken(await currentOfflineToken(id), "refresh_token", ctx).catch(() => undefined);
  for (const p of [alice, doomedPerson, pausedPerson]) await deletePerson(p);
});

describe("getDelegatedToken", () => {
  it("reuses the cached access token while it is fresh: no refresh at Keycloak", async () => {
    const recorder = createMemoryRecorder();
    const { result, posts } = await countRefreshPosts(() => getDelegatedToken({ grantId, recorder, correlationId: "c1" }));
    expect(result.source).toBe("cache");
    expect(result.subject).toBe(aliceId);
    expect(posts).toBe(0);
    expect(recorder.count("token.refresh")).toBe(0);
  });

  it("refreshes when the cache is about to expire, storing the rotated token and bumping the version", async () => {
    await expireCachedAccessToken(grantId);
    const before = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
    const recorder = createMemoryRecorder();
    const token = await getDelegatedToken({ grantId, recorder, correlationId: "c2" });
    expect(token.source).toBe("refresh");
    const after = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(after.version).toBe(before.version + 1);
    expect(after.refreshTokenEnc).not.toBe(before.refreshTokenEnc);
    expect(after.lastRefreshOk).toBe(true);
    expect(after.lastError).toBeNull();
    expect(after.lastUsedAt).not.toBeNull();
    expect(after.idleExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
    expect(after.accessExpiresAt!.getTime()).toBe(token.expiresAt.getTime());
    expect(recorder.events).toEqual([
      expect.objectContaining({
        actor: "nextcloud-mcp-server",
        subject: aliceId,
        action: "token.refresh",
        outcome: "success",
        correlationId: "c2",
        mechanism: "offline-refresh",
      }),
    ]);
    // The stored rotated token works (the old one is dead: refresh tokens are single-use here).
    const again = await getDelegatedToken({ grantId, recorder, correlationId: "c2b" });
    expect(again.source).toBe("cache");
    expect(again.token).toBe(token.token);
  });

  it("two concurrent callers needing a token for the same grant cause ONE refresh at Keycloak", async () => {
    await expireCachedAccessToken(grantId);
    const before = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
    const recorder = createMemoryRecorder();
    const { result, posts } = await countRefreshPosts(() =>
      Promise.all([1, 2, 3].map((i) => getDelegatedToken({ grantId, recorder, correlationId: `concurrent-${i}` }))),
    );
    expect(posts).toBe(1);
    expect(recorder.count("token.refresh")).toBe(1);
    expect(new Set(result.map((r) => r.token)).size).toBe(1);
    expect(result.map((r) => r.source).sort()).toEqual(["cache", "cache", "refresh"]);
    const after = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(after.version).toBe(before.version + 1);
  });

  it("with exchange on, returns a token for `nextcloud` only, and caches that token", async () => {
    await expireCachedAccessToken(grantId);
    const recorder = createMemoryRecorder();
    const t = await getDelegatedToken({ grantId, recorder, correlationId: "c3", exchange: true });
    expect(t.source).toBe("exchange");
    const c = decodeJwt(t.token);
    expect([c.aud].flat()).toEqual(["nextcloud"]);
    expect(c.sub).toBe(aliceId);
    expect(c.azp).toBe("nextcloud-mcp-server");
    expect(recorder.count("token.refresh", "success")).toBe(1);
    expect(recorder.count("token.exchange", "success")).toBe(1);
    const cached = await getDelegatedToken({ grantId, recorder, correlationId: "c3b", exchange: true });
    expect(cached).toMatchObject({ source: "cache", token: t.token });
  });

  it("after revocation at Keycloak, marks the grant revoked_at_provider and throws GrantRevoked", async () => {
    const { grantId: doomed } = await createGrantOverHttp(doomedPerson, ["notes.read"]);
    const ctx = { recorder: createMemoryRecorder(), correlationId: "revoke" };
    const sid = (await db().grant.findUniqueOrThrow({ where: { id: doomed } })).keycloakSid;
    await revokeToken(await currentOfflineToken(doomed), "refresh_token", ctx);
    expect((await listOfflineSessions(doomedPerson.sub, "nextcloud-mcp-server")).map((s) => s.id)).not.toContain(sid);

    await expireCachedAccessToken(doomed);
    const recorder = createMemoryRecorder();
    const err = await getDelegatedToken({ grantId: doomed, recorder, correlationId: "c4" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrantRevokedError);
    expect(err).toMatchObject({ code: "ConsentRevoked", errorDescription: "Offline user session not found" });
    const g = await db().grant.findUniqueOrThrow({ where: { id: doomed } });
    expect(g).toMatchObject({
      status: "revoked_at_provider",
      lastRefreshOk: false,
      lastError: "Offline user session not found",
      revokeReason: expect.stringMatching(/no longer accepts this access \(Offline user session not found\)/),
      accessTokenEnc: null,
      refreshTokenEnc: "",
    });
    expect(g.revokedAt).not.toBeNull();
    expect(recorder.events).toEqual([
      expect.objectContaining({ action: "token.refresh", outcome: "failure", errorCode: "invalid_grant", subject: doomedPerson.sub }),
    ]);

    // From now on it is refused locally, without asking Keycloak.
    const { result, posts } = await countRefreshPosts(() =>
      getDelegatedToken({ grantId: doomed, recorder, correlationId: "c5" }).catch((e: unknown) => e),
    );
    expect(posts).toBe(0);
    expect(result).toMatchObject({ code: "ConsentRevoked", message: expect.stringContaining("revoked_at_provider") });
  });

  it("refuses a grant that is not active, even with a fresh cached token", async () => {
    const { grantId: paused } = await createGrantOverHttp(pausedPerson, ["notes.read"]);
    cleanup.push(paused);
    await db().grant.update({ where: { id: paused }, data: { status: "revoking" } });
    await expect(getDelegatedToken({ grantId: paused, recorder: createMemoryRecorder(), correlationId: "c6" })).rejects.toMatchObject({
      code: "ConsentRevoked",
    });
    await expect(
      getDelegatedToken({ grantId: "no-such-grant", recorder: createMemoryRecorder(), correlationId: "c7" }),
    ).rejects.toMatchObject({ code: "NotFound" });
  });
});
