/**
 * A dashboard sign-in follows Keycloak: back-channel logout ends it (by sid), a removed role or a
 * disabled user is noticed at the next confirmation, and an ended session keeps no token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { confirmLogin } from "@/lib/auth/login-session-token";
import { handleDashboardLogout } from "@/lib/auth/handle-dashboard-logout";
import { adminFetch, withClientAttributes } from "@/test/keycloak/admin-api";
import { startLogoutReceiver, type TLogoutReceiver } from "@/test/keycloak/logout-receiver";
import { createPerson, deletePerson, signInOverHttp, type TPerson } from "@/test/keycloak/person-fixture";

const DASHBOARD = "delegation-dashboard";
let person: TPerson;
let receiver: TLogoutReceiver;

async function sessionRow(id: string) {
  return db().loginSession.findUniqueOrThrow({ where: { id } });
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
