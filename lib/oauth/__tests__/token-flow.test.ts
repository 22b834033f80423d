import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { approveConsentOverHttp, obtainOfflineConsentOverHttp, WORKER_REDIRECT_URI } from "@/test/keycloak/consent-over-http";
import { createMemoryRecorder } from "@/test/keycloak/grant-fixture";
import { listOfflineSessions } from "@/test/keycloak/admin-api";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { buildConsentRequest } from "@/lib/oauth/build-consent-request";
import { redeemConsentCode, type TRedeemedConsent } from "@/lib/oauth/redeem-consent-code";
import { refreshOfflineToken } from "@/lib/oauth/refresh-offline-token";
import { exchangeToken } from "@/lib/oauth/exchange-token";
import { probeImpersonationExchange } from "@/lib/oauth/probe-impersonation-exchange";
import { introspectToken } from "@/lib/oauth/introspect-token";
import { revokeToken } from "@/lib/oauth/revoke-token";
import { getServiceAccountToken } from "@/lib/oauth/get-service-account-token";
import { OAuthProviderError } from "@/lib/oauth/oauth-errors";

const recorder = createMemoryRecorder();
const ctx = { recorder, correlationId: "token-flow-test" };
// This file's own people (created in the shared realm, deleted afterwards): alice consents, bob is only the
// other user an impersonation probe names.
const people: TPerson[] = [];
let alicePerson: TPerson;
let bobPerson: TPerson;
let alice: TRedeemedConsent;
let aliceId: string;
let offline: string;

beforeAll(async () => {
  people.push((alicePerson = await createPerson("token-flow-alice")));
  people.push((bobPerson = await createPerson("token-flow-bob")));
  aliceId = alicePerson.sub;
  alice = await obtainOfflineConsentOverHttp(alicePerson, ["notes.read"]);
  offline = alice.offlineToken;
});

afterAll(async () => {
  if (offline) await revokeToken(offline, "refresh_token", ctx).catch(() => undefined);
  for (const p of people) await deletePerson(p);
});

describe("offline consent over HTTP, refresh and exchange against the real Keycloak", () => {
  it("redeems the consent: sub from the id_token, sid, and the scopes Keycloak granted", async () => {
    expect(alice.sub).toBe(aliceId);
    expect(alice.sid).toBeTruthy();
    expect(alice.grantedScopes).toEqual(expect.arrayContaining(["openid", "offline_access", "notes.read"]));
    expect(alice.grantedScopes).not.toContain("files.read");
    expect(decodeJwt(alice.offlineToken).typ).toBe("Offline");
    const sessions = await listOfflineSessions(aliceId, "nextcloud-mcp-server");
    expect(sessions.map((s) => s.id)).toContain(alice.sid);
  });

  it("builds a PKCE S256 consent request with state, nonce, offline_access and prompt=consent", async () => {
    const { url, checks } = await buildConsentRequest({ taskScopes: ["files.read"], redirectUri: WORKER_REDIRECT_URI });
    expect(url.searchParams.get("scope")).toBe("openid offline_access files.read");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toBe(checks.state);
    expect(url.searchParams.get("nonce")).toBe(checks.nonce);
    expect(url.searchParams.get("code_challenge")).not.toBe(checks.codeVerifier);
    // A callback whose state does not match is refused by openid-client before the code is spent.
    const callback = await approveConsentOverHttp(url, alicePerson);
    await expect(redeemConsentCode(callback, { ...checks, state: "forged" })).rejects.toMatchObject({ code: "ProviderError" });
    // With the right checks, the same callback redeems (the code was not spent).
    const redeemed = await redeemConsentCode(callback, checks);
    expect(redeemed.grantedScopes).toContain("files.read");
    await revokeToken(redeemed.offlineToken, "refresh_token", ctx);
  });

  it("refreshes (rotating the offline token) and exchanges for a token for `nextcloud` only, sub = alice, azp = worker", async () => {
    const refreshed = await refreshOfflineToken(offline, ctx);
    expect(refreshed.refreshToken).not.toBe(offline);
    offline = refreshed.refreshToken;
    const r = decodeJwt(refreshed.accessToken);
    expect(r.sub).toBe(aliceId);
    expect(r.azp).toBe("nextcloud-mcp-server");
    expect(r.aud).toEqual(expect.arrayContaining(["nextcloud", "nextcloud-mcp-server"]));

    const exchanged = await exchangeToken({ subjectToken: refreshed.accessToken, audience: "nextcloud", scope: ["notes.read"] }, ctx);
    const c = decodeJwt(exchanged.accessToken);
    expect([c.aud].flat()).toEqual(["nextcloud"]);
    expect(c.sub).toBe(aliceId);
    expect(c.azp).toBe("nextcloud-mcp-server");
    expect(c.preferred_username).toBe(alicePerson.username);
    expect(c.act).toBeUndefined();
    expect(exchanged.issuedTokenType).toBe("urn:ietf:params:oauth:token-type:access_token");
    expect(recorder.count("token.exchange", "success")).toBeGreaterThanOrEqual(1);
  });

  it("without a scope that maps the audience, Keycloak refuses it verbatim", async () => {
    const refreshed = await refreshOfflineToken(offline, ctx);
    offline = refreshed.refreshToken;
    const err = await exchangeToken({ subjectToken: refreshed.accessToken, audience: "nextcloud" }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect(err).toMatchObject({ error: "invalid_request", errorDescription: "Requested audience not available: nextcloud", status: 400 });
  });

  it("requested_subject is refused by Standard V2, with Keycloak's words verbatim", async () => {
    const refreshed = await refreshOfflineToken(offline, ctx);
    offline = refreshed.refreshToken;
    const result = await probeImpersonationExchange(
      { subjectToken: refreshed.accessToken, requestedSubject: bobPerson.username, audience: "nextcloud" },
      ctx,
    );
    expect(result).toEqual({
      supported: false,
      error: "invalid_request",
      errorDescription: "Parameter 'requested_subject' is not supported for standard token exchange",
      status: 400,
    });
    const event = recorder.events.findLast((e) => e.action === "token.exchange");
    expect(event).toMatchObject({
      outcome: "failure",
      errorCode: "invalid_request",
      mechanism: "impersonation-probe",
      correlationId: "token-flow-test",
    });
  });

  it("a service-account token cannot be exchanged by the worker (Keycloak's words verbatim)", async () => {
    const sa = await getServiceAccountToken({ clientId: "legacy-service-account", clientSecret: "service-account-local-dev-secret" }, ctx);
    expect(decodeJwt(sa).preferred_username).toBe("service-account-legacy-service-account");
    const err = await exchangeToken({ subjectToken: sa, audience: "nextcloud", scope: ["notes.read"] }, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ error: "access_denied", errorDescription: "Client is not within the token audience" });
  });

  it("introspection reports the user's token active and a revoked offline token inactive", async () => {
    const refreshed = await refreshOfflineToken(offline, ctx);
    offline = refreshed.refreshToken;
    const active = await introspectToken(refreshed.accessToken, ctx);
    expect(active).toMatchObject({ active: true, sub: aliceId, clientId: "nextcloud-mcp-server", username: alicePerson.username });

    const other = await obtainOfflineConsentOverHttp(alicePerson, ["notes.read"]);
    await revokeToken(other.offlineToken, "refresh_token", ctx);
    expect((await introspectToken(other.offlineToken, ctx)).active).toBe(false);
    const err = await refreshOfflineToken(other.offlineToken, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ error: "invalid_grant", errorDescription: "Offline user session not found" });
    // Revoking one grant leaves the other offline session of the same user alone.
    const again = await refreshOfflineToken(offline, ctx);
    offline = again.refreshToken;
  });

  it("reusing a spent refresh token ends the whole offline session (why refreshes must be serialised)", async () => {
    const other = await obtainOfflineConsentOverHttp(alicePerson, ["notes.read"]);
    const next = await refreshOfflineToken(other.offlineToken, ctx);
    await expect(refreshOfflineToken(other.offlineToken, ctx)).rejects.toMatchObject({
      error: "invalid_grant",
      errorDescription: "Maximum allowed refresh token reuse exceeded",
    });
    await expect(refreshOfflineToken(next.refreshToken, ctx)).rejects.toMatchObject({
      error: "invalid_grant",
      errorDescription: "Session doesn't have required client",
    });
  });

  it("no audit event or error carries token material", () => {
    const dump = JSON.stringify(recorder.events);
    expect(dump).not.toContain("eyJ");
    expect(dump).not.toContain(offline);
  });
});
