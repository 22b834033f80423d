import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { db } from "@/lib/db";
import { startLoginSession } from "../start-login-session";
import { createLocalGrant, createLocalPerson } from "@/test/fixtures/local-grant";

/**
 * Every rule of back-channel logout, one case each, against a key pair of this file's own: the realm's
 * discovery is replaced by a local JWKS server, so tokens can be signed with any claim right or wrong.
 * Database rows are real; no Keycloak and no shared lock. (forged-logout-signature.test.ts and
 * backchannel-logout.test.ts prove the same handlers against the real Keycloak's keys and tokens.)
 */
const metadata: { jwks_uri?: string } = {};
const discoveries = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/oauth/get-oidc-config", () => ({
  getOidcConfig: async () => {
    discoveries.count += 1;
    return { serverMetadata: () => metadata };
  },
  workerClient: () => ({ clientId: process.env.KEYCLOAK_WORKER_CLIENT_ID!, clientSecret: "unused" }),
}));

const { verifyLogoutToken } = await import("../verify-logout-token");
const { handleBackchannelLogout } = await import("@/lib/services/grants/handle-backchannel-logout");
const { handleDashboardLogout } = await import("../handle-dashboard-logout");

const ISSUER = process.env.KEYCLOAK_ISSUER!;
const WORKER = process.env.KEYCLOAK_WORKER_CLIENT_ID!;
const DASHBOARD = process.env.KEYCLOAK_DASHBOARD_CLIENT_ID!;
const LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
const KID = "logout-rules-key";
let realmKey: CryptoKey;
let otherKey: CryptoKey;
let server: http.Server;
let jwksFetches = 0;

type TClaims = Record<string, unknown>;

/** A logout token as Keycloak would send it; `claims` overrides (undefined removes a claim). */
async function logoutToken(opts: { aud?: string; claims?: TClaims; key?: CryptoKey; iat?: number } = {}): Promise<string> {
  const claims: TClaims = {
    iss: ISSUER,
    aud: opts.aud ?? WORKER,
    iat: opts.iat ?? Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    events: { [LOGOUT_EVENT]: {} },
    sub: `sub-${randomUUID()}`,
    sid: `sid-${randomUUID()}`,
    ...opts.claims,
  };
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: KID, typ: "logout+jwt" }).sign(opts.key ?? realmKey);
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => "accepted",
    (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
  );

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  realmKey = pair.privateKey;
  ({ privateKey: otherKey } = await generateKeyPair("RS256"));
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  server = http.createServer((_req, res) => {
    jwksFetches += 1;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  metadata.jwks_uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("verifyLogoutToken", () => {
  it("accepts a logout token signed by the realm's key and returns its claims", async () => {
    const token = await logoutToken({ claims: { sub: "s-1", sid: "sid-1" } });
    const claims = await verifyLogoutToken(token, WORKER);
    expect(claims).toMatchObject({ sub: "s-1", sid: "sid-1", aud: WORKER, iss: ISSUER, events: { [LOGOUT_EVENT]: {} } });
  });

  it("refuses a token signed by another key under the realm key's kid", async () => {
    expect(await refusal(verifyLogoutToken(await logoutToken({ key: otherKey }), WORKER))).toMatch(
      /^BadInput: Invalid logout token: signature verification failed/,
    );
  });

  it("refuses another issuer, another audience, a token older than 5 minutes, and one from the future", async () => {
    expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { iss: `${ISSUER}-other` } }), WORKER))).toMatch(
      /^BadInput: Invalid logout token: .*"iss"/,
    );
    expect(await refusal(verifyLogoutToken(await logoutToken({ aud: DASHBOARD }), WORKER))).toMatch(
      /^BadInput: Invalid logout token: .*"aud"/,
    );
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    expect(await refusal(verifyLogoutToken(await logoutToken({ iat: old }), WORKER))).toMatch(/^BadInput: Invalid logout token: .*"iat"/);
    // Four minutes old is still within the 5 minutes.
    expect(await refusal(verifyLogoutToken(await logoutToken({ iat: old + 2 * 60 }), WORKER))).toBe("accepted");
  });

  it("requires iat, jti and events", async () => {
    for (const claim of ["iat", "jti", "events"]) {
      expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { [claim]: undefined } }), WORKER)), claim).toMatch(
        new RegExp(`^BadInput: Invalid logout token: .*"${claim}"`),
      );
    }
  });

  it("refuses events without the back-channel logout event, or events that are not an object", async () => {
    for (const events of [{ "http://schemas.openid.net/event/other": {} }, "backchannel-logout", null]) {
      expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { events } }), WORKER)), JSON.stringify(events)).toMatch(
        /^BadInput: Invalid logout token/,
      );
    }
    expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { events: {} } }), WORKER))).toBe(
      "BadInput: Invalid logout token: no back-channel logout event",
    );
  });

  it("refuses a nonce", async () => {
    expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { nonce: "n" } }), WORKER))).toBe(
      "BadInput: Invalid logout token: a nonce is not allowed",
    );
  });

  it("needs sub or a string sid, and either one alone is enough", async () => {
    const neither = "BadInput: Invalid logout token: neither sub nor sid";
    expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { sub: undefined, sid: undefined } }), WORKER))).toBe(neither);
    expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { sub: undefined, sid: 42 } }), WORKER))).toBe(neither);
    expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { sid: undefined } }), WORKER))).toBe("accepted");
    expect(await refusal(verifyLogoutToken(await logoutToken({ claims: { sub: undefined } }), WORKER))).toBe("accepted");
  });

  it("refuses what is not a JWT", async () => {
    expect(await refusal(verifyLogoutToken("not-a-jwt", WORKER))).toMatch(/^BadInput: Invalid logout token: /);
  });

  it("discovers the key set once per process, not per token", async () => {
    const before = { discoveries: discoveries.count, fetches: jwksFetches };
    await verifyLogoutToken(await logoutToken(), WORKER);
    await verifyLogoutToken(await logoutToken(), WORKER);
    expect(discoveries.count - before.discoveries).toBe(0);
    expect(jwksFetches - before.fetches).toBe(0);
  });

  it("refuses every token when the realm publishes no jwks_uri", async () => {
    vi.resetModules();
    const fresh = await import("../verify-logout-token");
    const saved = metadata.jwks_uri;
    delete metadata.jwks_uri;
    try {
      expect(await refusal(fresh.verifyLogoutToken(await logoutToken(), WORKER))).toBe(
        "BadInput: Invalid logout token: Keycloak publishes no jwks_uri",
      );
    } finally {
      metadata.jwks_uri = saved;
    }
  });
});

/** A grant of `userSub` with a given Keycloak session and consent time. */
async function grantWith(userSub: string, keycloakSid: string | null, grantedAt = new Date(Date.now() - 60_000), clientId = WORKER) {
  const id = await createLocalGrant(userSub);
  // One active grant per person and worker client: a second one in a case belongs to another client.
  await db().grant.update({ where: { id }, data: { keycloakSid, grantedAt, clientId } });
  return id;
}
const recheckOf = async (id: string) => (await db().grant.findUniqueOrThrow({ where: { id } })).recheckAt;
const auditOf = (subject: string, action: string) => db().auditEvent.findMany({ where: { subject, action }, orderBy: { seq: "asc" } });

describe("handleBackchannelLogout (worker client)", () => {
  let person: Awaited<ReturnType<typeof createLocalPerson>>;
  beforeEach(async () => {
    person = await createLocalPerson("bcl");
  });

  it("asks for a re-check, 2 s from now, of the grant of the token's session only, and audits it", async () => {
    const sid = `sid-${randomUUID()}`;
    const otherClient = await grantWith(person.userSub, sid, undefined, "another-client");
    const mine = await grantWith(person.userSub, sid);
    const stranger = await createLocalPerson("bcl-stranger");
    const theirs = await grantWith(stranger.userSub, sid);
    const before = Date.now();
    const result = await handleBackchannelLogout(await logoutToken({ claims: { sub: person.userSub, sid } }));
    const after = Date.now();
    expect(result).toEqual({ recheckRequested: 1, revokeOffline: false });
    const at = (await recheckOf(mine))!.getTime();
    expect(at).toBeGreaterThanOrEqual(before + 2_000);
    expect(at).toBeLessThanOrEqual(after + 2_000);
    expect(await recheckOf(otherClient)).toBeNull();
    expect(await recheckOf(theirs)).toBeNull();
    expect((await db().grant.findUniqueOrThrow({ where: { id: mine } })).status).toBe("active");
    const [row, ...more] = await auditOf(person.userSub, "auth.backchannel_logout");
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      actor: "keycloak",
      actorType: "system",
      resource: `client:${WORKER}`,
      outcome: "success",
      mechanism: "oidc-backchannel-logout",
      details: { sid, revokeOfflineAccess: false, recheckRequested: 1 },
    });
  });

  it("without revoke_offline_access leaves a grant of another session alone", async () => {
    const a = await grantWith(person.userSub, `sid-${randomUUID()}`);
    expect(await handleBackchannelLogout(await logoutToken({ claims: { sub: person.userSub, sid: `sid-${randomUUID()}` } }))).toEqual({
      recheckRequested: 0,
      revokeOffline: false,
    });
    expect(await recheckOf(a)).toBeNull();
  });

  it("with revoke_offline_access (in events or as a claim) re-checks every grant of the person, whatever its session", async () => {
    for (const where of ["events", "claim"] as const) {
      const p = await createLocalPerson(`bcl-${where}`);
      const a = await grantWith(p.userSub, `sid-${randomUUID()}`);
      const claims = where === "events" ? { events: { [LOGOUT_EVENT]: {}, revoke_offline_access: true } } : { revoke_offline_access: true };
      const result = await handleBackchannelLogout(
        await logoutToken({ claims: { sub: p.userSub, sid: `sid-${randomUUID()}`, ...claims } }),
      );
      expect(result, where).toEqual({ recheckRequested: 1, revokeOffline: true });
      expect(await recheckOf(a), where).not.toBeNull();
      expect((await auditOf(p.userSub, "auth.backchannel_logout"))[0]?.details, where).toMatchObject({
        revokeOfflineAccess: true,
        recheckRequested: 1,
      });
    }
  });

  it("takes only revoke_offline_access === true, not a truthy look-alike", async () => {
    const a = await grantWith(person.userSub, `sid-${randomUUID()}`);
    const result = await handleBackchannelLogout(
      await logoutToken({
        claims: {
          sub: person.userSub,
          sid: `sid-${randomUUID()}`,
          revoke_offline_access: "true",
          events: { [LOGOUT_EVENT]: {}, revoke_offline_access: 1 },
        },
      }),
    );
    expect(result).toEqual({ recheckRequested: 0, revokeOffline: false });
    expect(await recheckOf(a)).toBeNull();
  });

  it("without a sid re-checks every grant of the person", async () => {
    const a = await grantWith(person.userSub, `sid-${randomUUID()}`);
    expect(await handleBackchannelLogout(await logoutToken({ claims: { sub: person.userSub, sid: undefined } }))).toEqual({
      recheckRequested: 1,
      revokeOffline: false,
    });
    expect(await recheckOf(a)).not.toBeNull();
    expect((await auditOf(person.userSub, "auth.backchannel_logout"))[0]?.details).toMatchObject({ sid: null });
  });

  it("without a sub touches no grant, even one of the token's session", async () => {
    const sid = `sid-${randomUUID()}`;
    const a = await grantWith(person.userSub, sid);
    expect(await handleBackchannelLogout(await logoutToken({ claims: { sub: undefined, sid } }))).toEqual({
      recheckRequested: 0,
      revokeOffline: false,
    });
    expect(await recheckOf(a)).toBeNull();
  });

  it("never touches a grant consented after the token was issued; one from the same second may be about it", async () => {
    const iat = Math.floor(Date.now() / 1000) - 10;
    const sameSecond = await grantWith(person.userSub, null, new Date(iat * 1000 + 900));
    const later = await createLocalPerson("bcl-later");
    const nextSecond = await grantWith(later.userSub, null, new Date(iat * 1000 + 1_000));
    expect(
      (await handleBackchannelLogout(await logoutToken({ iat, claims: { sub: person.userSub, sid: undefined } }))).recheckRequested,
    ).toBe(1);
    expect(
      (await handleBackchannelLogout(await logoutToken({ iat, claims: { sub: later.userSub, sid: undefined } }))).recheckRequested,
    ).toBe(0);
    expect(await recheckOf(sameSecond)).not.toBeNull();
    expect(await recheckOf(nextSecond)).toBeNull();
  });

  it("refuses a replay, remembers the jti until the token expires, and changes nothing the second time", async () => {
    const iat = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    const token = await logoutToken({ iat, claims: { jti, sub: person.userSub, sid: undefined } });
    await handleBackchannelLogout(token);
    expect((await db().seenLogoutToken.findUniqueOrThrow({ where: { jti } })).expiresAt.getTime()).toBe(iat * 1000 + 5 * 60_000);
    const a = await grantWith(person.userSub, null, new Date(iat * 1000));
    expect(await refusal(handleBackchannelLogout(token))).toBe("BadInput: Invalid logout token: already used (replay)");
    expect(await recheckOf(a)).toBeNull();
    expect(await auditOf(person.userSub, "auth.backchannel_logout")).toHaveLength(1);
  });

  it("refuses a token for the dashboard client", async () => {
    expect(await refusal(handleBackchannelLogout(await logoutToken({ aud: DASHBOARD, claims: { sub: person.userSub } })))).toMatch(
      /^BadInput: Invalid logout token: .*"aud"/,
    );
  });
});

/** An open dashboard sign-in of `userSub` in Keycloak session `sid`. */
function signIn(userSub: string, keycloakSid: string | null) {
  return startLoginSession({
    sub: userSub,
    username: userSub,
    name: null,
    email: null,
    keycloakSid,
    idToken: "id-token-placeholder",
    accessToken: "access-token-placeholder",
    refreshToken: "refresh-token-placeholder",
    accessExpiresAt: new Date(Date.now() + 60_000),
    roles: [],
  });
}
const sessionOf = (id: string) => db().loginSession.findUniqueOrThrow({ where: { id } });

describe("handleDashboardLogout (dashboard client)", () => {
  let person: Awaited<ReturnType<typeof createLocalPerson>>;
  beforeEach(async () => {
    person = await createLocalPerson("dbl");
  });

  it("ends the sign-ins of the token's session only, wipes their tokens, leaves grants alone, and audits it", async () => {
    const sid = `sid-${randomUUID()}`;
    const ended = await signIn(person.userSub, sid);
    const elsewhere = await signIn(person.userSub, `sid-${randomUUID()}`);
    const grant = await grantWith(person.userSub, sid);
    expect(await handleDashboardLogout(await logoutToken({ aud: DASHBOARD, claims: { sub: person.userSub, sid } }))).toEqual({
      endedSessions: 1,
    });
    expect(await sessionOf(ended)).toMatchObject({
      endReason: "Keycloak back-channel logout",
      idTokenEnc: "",
      accessTokenEnc: "",
      refreshTokenEnc: null,
      endedAt: expect.any(Date),
    });
    expect(await sessionOf(elsewhere)).toMatchObject({ endedAt: null, endReason: null });
    expect(await db().grant.findUniqueOrThrow({ where: { id: grant } })).toMatchObject({ status: "active", recheckAt: null });
    const [row, ...more] = await auditOf(person.userSub, "auth.session_ended_by_keycloak");
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      actor: "keycloak",
      actorType: "system",
      resource: `client:${DASHBOARD}`,
      outcome: "success",
      mechanism: "oidc-backchannel-logout",
      details: { sid, endedSessions: 1 },
    });
  });

  it("without a sid ends every open sign-in of the person and counts only those still open", async () => {
    const a = await signIn(person.userSub, `sid-${randomUUID()}`);
    const b = await signIn(person.userSub, null);
    const already = await signIn(person.userSub, null);
    // Ended as the product ends a sign-in: its sealed tokens go with it (grant-lifecycle.test.ts checks every row).
    await db().loginSession.update({
      where: { id: already },
      data: { endedAt: new Date(), endReason: "signed out", idTokenEnc: "", accessTokenEnc: "", refreshTokenEnc: null },
    });
    const stranger = await createLocalPerson("dbl-stranger");
    const theirs = await signIn(stranger.userSub, null);
    expect(await handleDashboardLogout(await logoutToken({ aud: DASHBOARD, claims: { sub: person.userSub, sid: undefined } }))).toEqual({
      endedSessions: 2,
    });
    for (const id of [a, b]) expect((await sessionOf(id)).endedAt).not.toBeNull();
    expect((await sessionOf(already)).endReason).toBe("signed out");
    expect((await sessionOf(theirs)).endedAt).toBeNull();
  });

  it("with a sid and no sub, audits the person whose sign-in it ended", async () => {
    const sid = `sid-${randomUUID()}`;
    const s = await signIn(person.userSub, sid);
    expect(await handleDashboardLogout(await logoutToken({ aud: DASHBOARD, claims: { sub: undefined, sid } }))).toEqual({
      endedSessions: 1,
    });
    expect((await sessionOf(s)).endedAt).not.toBeNull();
    expect(await auditOf(person.userSub, "auth.session_ended_by_keycloak")).toHaveLength(1);
  });

  it("refuses a replay and a worker-client token; the same jti is a different token for each client", async () => {
    const iat = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    const token = await logoutToken({ aud: DASHBOARD, iat, claims: { jti, sub: person.userSub, sid: undefined } });
    expect(await handleDashboardLogout(token)).toEqual({ endedSessions: 0 });
    expect((await db().seenLogoutToken.findUniqueOrThrow({ where: { jti: `dashboard:${jti}` } })).expiresAt.getTime()).toBe(
      iat * 1000 + 5 * 60_000,
    );
    const s = await signIn(person.userSub, null);
    expect(await refusal(handleDashboardLogout(token))).toBe("BadInput: Invalid logout token: already used (replay)");
    expect((await sessionOf(s)).endedAt).toBeNull();
    expect(await refusal(handleDashboardLogout(await logoutToken({ claims: { sub: person.userSub } })))).toMatch(
      /^BadInput: Invalid logout token: .*"aud"/,
    );
    // The worker client's handler has its own jti namespace: the same jti is new there.
    expect(await refusal(handleBackchannelLogout(await logoutToken({ claims: { jti, sub: person.userSub } })))).toBe("accepted");
  });
});
