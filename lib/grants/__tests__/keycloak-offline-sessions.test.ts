/**
 * What Keycloak 26 does with the worker's offline tokens — the facts lib/grants builds on (README "What we
 * verified against Keycloak"): consents of one sign-in share one offline session, so a replaced token of
 * the same session is only forgotten (store-consented-grant.ts); a refresh cannot narrow a token, so
 * narrowing re-consents; the admin "sign out user" refuses older tokens without removing the offline
 * session. A throwaway person of this file's own, signed in over HTTP like a browser.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { decodeJwt } from "jose";
import { refreshOfflineToken } from "@/lib/oauth/refresh-offline-token";
import { revokeToken } from "@/lib/oauth/revoke-token";
import { getOidcConfig } from "@/lib/oauth/get-oidc-config";
import { classifyRefreshRefusal } from "@/lib/oauth/oauth-errors";
import { dropConsentedScopes } from "@/lib/oauth/keycloak-account-api";
import { loginAccessToken } from "@/lib/auth/login-session-token";
import { SCOPE_CATALOG } from "@/lib/tasks/task-catalog";
import { adminFetch, getAdminToken, listOfflineSessions } from "@/test/keycloak/admin-api";
import { createMemoryRecorder } from "@/test/keycloak/grant-fixture";
import { CookieJar } from "@/test/keycloak/consent-over-http";
import { consentInBrowser, createPerson, deletePerson, signInOverHttp, type TPerson, type TSignedIn } from "@/test/keycloak/person-fixture";

const WORKER = "nextcloud-mcp-server";
let person: TPerson;
let me: TSignedIn;

const call = () => ({ recorder: createMemoryRecorder(), correlationId: "keycloak-offline-sessions" });
const refresh = (token: string) => refreshOfflineToken(token, call());
/** The refusal of a refresh, as Keycloak worded it and as the product classifies it. */
async function refusal(token: string): Promise<{ message: string; means: string | null }> {
  const error = await refresh(token).then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error("Keycloak accepted the refresh");
  return { message: (error as Error).message, means: classifyRefreshRefusal(error) };
}
const sessionIds = async () => (await listOfflineSessions(person.sub, WORKER)).map((s) => s.id).sort();

beforeAll(async () => {
  person = await createPerson("offline");
  me = await signInOverHttp(person);
});

afterAll(async () => {
  await deletePerson(person);
});

describe("two offline tokens of one Keycloak session", () => {
  for (const revoked of ["later", "earlier"] as const) {
    it(`share one offline session: both refresh after the later consent; revoking the ${revoked} (RFC 7009) ends it for both`, async () => {
      const earlier = await consentInBrowser(me, ["notes.read"]);
      const later = await consentInBrowser(me, ["files.read"]);
      expect(later.sid).toBe(earlier.sid);
      expect(await sessionIds()).toEqual([earlier.sid]);
      // The earlier token keeps working after the later consent, and each keeps its own scopes.
      const a = await refresh(earlier.offlineToken);
      const b = await refresh(later.offlineToken);
      expect(a.scopes).toContain("notes.read");
      expect(a.scopes).not.toContain("files.read");
      expect(b.scopes).toContain("files.read");
      expect(await sessionIds()).toEqual([earlier.sid]);

      const [gone, other] = revoked === "later" ? [b, a] : [a, b];
      await revokeToken(gone.refreshToken, "refresh_token", call());
      expect(await refusal(other.refreshToken)).toEqual({ message: "invalid_grant: Offline user session not found", means: "revoked" });
      expect(await sessionIds()).toEqual([]);
    });
  }

  it("a consent from another sign-in has its own offline session: revoking its token leaves the first one alone", async () => {
    const mine = await consentInBrowser(me, ["notes.read"]);
    const elsewhere = await consentInBrowser(await signInOverHttp(person, new CookieJar()), ["notes.read"]);
    expect(elsewhere.sid).not.toBe(mine.sid);
    expect(await sessionIds()).toEqual([mine.sid, elsewhere.sid].sort());
    await revokeToken(elsewhere.offlineToken, "refresh_token", call());
    expect(await sessionIds()).toEqual([mine.sid]);
    await revokeToken((await refresh(mine.offlineToken)).refreshToken, "refresh_token", call());
  });
});

describe("a refresh cannot narrow an offline token", () => {
  it("a scope parameter on a refresh is ignored; after the consent is narrowed, the old token fails with invalid_scope and a new consent works", async () => {
    const both = await consentInBrowser(me, ["notes.read", "files.read"]);
    const asked = await oidc.refreshTokenGrant(await getOidcConfig(), both.offlineToken, { scope: "openid offline_access notes.read" });
    expect(asked.scope?.split(" ")).toContain("files.read");
    expect(String(decodeJwt(asked.refresh_token!).scope).split(" ")).toContain("files.read");

    // Narrowed in the person's own name, as "Narrow access" does (account API).
    const kept = await dropConsentedScopes(await loginAccessToken(me.loginSessionId, person.sub), WORKER, [
      SCOPE_CATALOG["files.read"]!.consentText,
    ]);
    expect(kept.map((s) => s.name)).not.toContain(SCOPE_CATALOG["files.read"]!.consentText);
    expect(await refusal(asked.refresh_token!)).toEqual({
      message: "invalid_scope: Client no longer has requested consent from user",
      means: "revoked",
    });

    const narrower = await consentInBrowser(me, ["notes.read"]);
    const renewed = await refresh(narrower.offlineToken);
    expect(renewed.scopes).toContain("notes.read");
    expect(renewed.scopes).not.toContain("files.read");
    await revokeToken(renewed.refreshToken, "refresh_token", call());
  });
});

describe("Keycloak's admin 'sign out user'", () => {
  it("sets the user's not-before: older offline tokens fail with 'Stale token', one from the same second survives, the offline sessions stay listed", async () => {
    const older = await consentInBrowser(await signInOverHttp(person, new CookieJar()), ["notes.read"]);
    const admin = await getAdminToken();
    const realmUrl = `${process.env.KEYCLOAK_ADMIN_URL}/admin/realms/${new URL(process.env.KEYCLOAK_ISSUER!).pathname.split("/").pop()}`;
    // Keycloak compares whole seconds. A token issued just before the sign-out must fall in the sign-out's
    // second; on a slow machine that can miss, so it is tried again with a fresh consent.
    let sameSecond: { token: string; iat: number; notBefore: number } | undefined;
    for (let attempt = 0; attempt < 4 && !sameSecond; attempt++) {
      const fresh = await consentInBrowser(me, ["notes.read"]);
      const target = (Math.floor(Date.now() / 1000) + 1) * 1000 + 10;
      while (Date.now() < target) await new Promise((resolve) => setTimeout(resolve, target - Date.now()));
      const token = (await refresh(fresh.offlineToken)).refreshToken;
      const res = await fetch(`${realmUrl}/users/${person.sub}/logout`, { method: "POST", headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(204);
      const notBefore = Number((await adminFetch<{ notBefore?: number }>(`/users/${person.sub}`)).notBefore);
      const iat = decodeJwt(token).iat!;
      if (iat === notBefore) sameSecond = { token, iat, notBefore };
    }
    expect(sameSecond, "a refresh and the sign-out never fell in one second in 4 tries").toBeDefined();
    const listed = await sessionIds();
    expect(listed).toContain(older.sid);
    expect(listed.length).toBeGreaterThanOrEqual(2);

    expect(await refusal(older.offlineToken)).toEqual({ message: "invalid_grant: Stale token", means: "revoked" });
    const survivor = await refresh(sameSecond!.token);
    expect(survivor.scopes).toContain("notes.read");
    // Refused, yet still listed: the sign-out does not remove offline sessions.
    expect(await sessionIds()).toEqual(listed);
  });
});
