/**
 * A dashboard sign-in follows Keycloak: back-channel logout ends it (by sid), a removed role or a
 * disabled user is noticed at the next confirmation, and an ended session keeps no token.
 */
// Next's request storage (cookies() in currentUser) needs AsyncLocalStorage installed before Next loads.
import "@/lib/validation/__tests__/hostile-input-als";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { encode } from "next-auth/jwt";
import { env } from "@/lib/env";
import { confirmLogin, LOGIN_CONFIRM_MS } from "@/lib/auth/login-session-token";
import { currentUser } from "@/lib/auth/current-user";
import { inRequestScope, makeRequest } from "@/lib/validation/__tests__/hostile-input-scope";
import { handleDashboardLogout } from "@/lib/auth/handle-dashboard-logout";
import { adminFetch, withClientAttributes } from "@/test/keycloak/admin-api";
import { startLogoutReceiver, type TLogoutReceiver } from "@/test/keycloak/logout-receiver";
import { createPerson, deletePerson, signInOverHttp, type TPerson, type TSignedIn } from "@/test/keycloak/person-fixture";

const DASHBOARD = "delegation-dashboard";
let person: TPerson;
let receiver: TLogoutReceiver;

async function sessionRow(id: string) {
  return db().loginSession.findUniqueOrThrow({ where: { id } });
}

/** currentUser() as a request with this sign-in's session cookie sees it (what every route and page calls). */
async function requestAs(me: TSignedIn) {
  const jwt = await encode({
    token: { sub: person.sub, username: person.username, lsid: me.loginSessionId },
    secret: env().NEXTAUTH_SECRET,
  });
  return inRequestScope(makeRequest("/api/grants", { cookie: `next-auth.session-token=${jwt}` }), () => currentUser());
}

/** Makes Keycloak's last word on the sign-in `ms` old, instead of waiting that long. */
async function confirmedAgo(me: TSignedIn, ms: number) {
  await db().loginSession.update({ where: { id: me.loginSessionId }, data: { confirmedAt: new Date(Date.now() - ms) } });
  return sessionRow(me.loginSessionId);
}

beforeAll(async () => {
  person = await createPerson("session");
  receiver = await startLogoutReceiver("/api/auth/backchannel-logout");
});

afterAll(async () => {
  await deletePerson(person);
  await receiver.close();
});

describe("a dashboard session follows Keycloak", () => {
  it("Keycloak's 'sign out' reaches the dashboard by back-channel: the session ends, its tokens are wiped, a replay changes nothing", async () => {
    await withClientAttributes(
      DASHBOARD,
      { "backchannel.logout.url": receiver.url, "backchannel.logout.session.required": "true" },
      async () => {
        const me = await signInOverHttp(person);
        const other = await signInOverHttp(person);
        receiver.received.length = 0;
        const sid = (await sessionRow(me.loginSessionId)).keycloakSid!;
        await adminFetch(`/sessions/${sid}`, { method: "DELETE" });
        const token = await receiver.next();
        expect(await handleDashboardLogout(token)).toEqual({ endedSessions: 1 });
        const ended = await sessionRow(me.loginSessionId);
        expect(ended.endedAt).not.toBeNull();
        expect(ended).toMatchObject({
          idTokenEnc: "",
          accessTokenEnc: "",
          refreshTokenEnc: null,
          endReason: "Keycloak back-channel logout",
        });
        // Acted on sid: the person's other sign-in (another Keycloak session) is untouched.
        expect((await sessionRow(other.loginSessionId)).endedAt).toBeNull();
        await expect(handleDashboardLogout(token)).rejects.toMatchObject({ code: "BadInput", message: expect.stringMatching(/replay/) });
        await expect(confirmLogin(me.loginSessionId, person.sub)).rejects.toMatchObject({ code: "Unauthenticated" });
      },
    );
  });

  it("a removed realm role is gone at the next confirmation", async () => {
    const role = await adminFetch<{ id: string; name: string }>("/roles/dashboard-admin");
    await adminFetch(`/users/${person.sub}/role-mappings/realm`, { method: "POST", body: [role] });
    const me = await signInOverHttp(person);
    expect((await confirmLogin(me.loginSessionId, person.sub, 0)).roles).toContain("dashboard-admin");
    await adminFetch(`/users/${person.sub}/role-mappings/realm`, { method: "DELETE", body: [role] });
    expect((await confirmLogin(me.loginSessionId, person.sub, 0)).roles).not.toContain("dashboard-admin");
    expect((await sessionRow(me.loginSessionId)).roles).not.toContain("dashboard-admin");
  });

  it("a disabled user's session ends at the next confirmation, and keeps no token", async () => {
    const me = await signInOverHttp(person);
    const user = await adminFetch<Record<string, unknown>>(`/users/${person.sub}`);
    await adminFetch(`/users/${person.sub}`, { method: "PUT", body: { ...user, enabled: false } });
    try {
      await expect(confirmLogin(me.loginSessionId, person.sub, 0)).rejects.toMatchObject({ code: "Unauthenticated" });
      expect(await sessionRow(me.loginSessionId)).toMatchObject({
        accessTokenEnc: "",
        refreshTokenEnc: null,
        endReason: expect.stringMatching(/refused/),
      });
    } finally {
      await adminFetch(`/users/${person.sub}`, { method: "PUT", body: { ...user, enabled: true } });
    }
  });
});

describe("every request re-confirms a sign-in with Keycloak once it is LOGIN_CONFIRM_MS (5 min) old, not before", () => {
  it("a fresh sign-in is not re-confirmed (a removed admin role still counts); an older one is, and the role is gone", async () => {
    const role = await adminFetch<{ id: string; name: string }>(`/roles/${env().KEYCLOAK_ADMIN_ROLE}`);
    await adminFetch(`/users/${person.sub}/role-mappings/realm`, { method: "POST", body: [role] });
    const me = await signInOverHttp(person);
    await confirmedAgo(me, LOGIN_CONFIRM_MS + 1000);
    expect(await requestAs(me)).toMatchObject({ sub: person.sub, isAdmin: true, loginSessionId: me.loginSessionId });
    const confirmed = await sessionRow(me.loginSessionId);
    expect(Date.now() - confirmed.confirmedAt.getTime()).toBeLessThan(60_000);
    expect(confirmed.roles).toContain(role.name);

    await adminFetch(`/users/${person.sub}/role-mappings/realm`, { method: "DELETE", body: [role] });
    // Within the limit Keycloak is not asked: the row (tokens, roles, confirmedAt) stays as it was, and the
    // role Keycloak last reported still counts — also just before the limit.
    for (const age of [0, LOGIN_CONFIRM_MS - 5000]) {
      const before = await confirmedAgo(me, age);
      expect((await requestAs(me))?.isAdmin).toBe(true);
      expect(await sessionRow(me.loginSessionId)).toEqual(before);
    }

    const stale = await confirmedAgo(me, LOGIN_CONFIRM_MS + 1000);
    expect(await requestAs(me)).toMatchObject({ sub: person.sub, isAdmin: false });
    const after = await sessionRow(me.loginSessionId);
    expect(after.roles).not.toContain(role.name);
    expect(after.confirmedAt.getTime()).toBeGreaterThan(stale.confirmedAt.getTime() + LOGIN_CONFIRM_MS);
    expect(after.accessTokenEnc).not.toBe(stale.accessTokenEnc);
    expect(after.endedAt).toBeNull();
  });

  it("a disabled user keeps a fresh sign-in until it is re-confirmed; then the request is signed out and the session ends", async () => {
    const me = await signInOverHttp(person);
    const user = await adminFetch<Record<string, unknown>>(`/users/${person.sub}`);
    await adminFetch(`/users/${person.sub}`, { method: "PUT", body: { ...user, enabled: false } });
    try {
      await confirmedAgo(me, LOGIN_CONFIRM_MS - 5000);
      expect(await requestAs(me)).toMatchObject({ sub: person.sub });
      expect((await sessionRow(me.loginSessionId)).endedAt).toBeNull();
      await confirmedAgo(me, LOGIN_CONFIRM_MS);
      expect(await requestAs(me)).toBeNull();
      expect(await sessionRow(me.loginSessionId)).toMatchObject({
        endedAt: expect.any(Date),
        accessTokenEnc: "",
        refreshTokenEnc: null,
        endReason: expect.stringMatching(/refused/),
      });
      // Ended is ended: the next request does not ask Keycloak again and stays signed out.
      expect(await requestAs(me)).toBeNull();
    } finally {
      await adminFetch(`/users/${person.sub}`, { method: "PUT", body: { ...user, enabled: true } });
    }
  });
});
