/**
 * Every transition of the grant state machine against the real Keycloak, with a person of this file's
 * own (created in the shared realm, deleted afterwards) signed in over HTTP like a browser.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { startGrant } from "@/lib/services/grants/start-grant";
import { completeGrant } from "@/lib/services/grants/complete-grant";
import { openPendingConsent } from "@/lib/services/grants/pending-consent-cookie";
import { readReceipt, revokeGrant } from "@/lib/services/grants/revoke-grant";
import { endLoginSession } from "@/lib/auth/end-login-session";
import { confirmLogin } from "@/lib/auth/login-session-token";
import { checkGrants, grantsDueForCheck } from "@/lib/grants/check-grants";
import { requestGrantRecheck } from "@/lib/grants/request-grant-recheck";
import { getDelegatedToken } from "@/lib/grants/get-delegated-token";
import { beginGrantRevocation } from "@/lib/grants/begin-grant-revocation";
import { storeConsentedGrant } from "@/lib/grants/store-consented-grant";
import { attemptRevocation } from "@/lib/grants/confirm-revocation";
import { refreshOfflineToken } from "@/lib/oauth/refresh-offline-token";
import { decodeJwt } from "jose";
import { adminFetch, listOfflineSessions } from "@/test/keycloak/admin-api";
import { approveConsentOverHttp, CookieJar } from "@/test/keycloak/consent-over-http";
import { createMemoryRecorder, currentOfflineToken } from "@/test/keycloak/grant-fixture";
import { consentInBrowser, createPerson, deletePerson, signInOverHttp, type TPerson, type TSignedIn } from "@/test/keycloak/person-fixture";

const WORKER = "nextcloud-mcp-server";
let person: TPerson;
let me: TSignedIn;

/** "Grant access" → Keycloak consent in the signed-in browser → callback, as the app runs it. */
async function consentThroughApp(
  input: { task?: "notes-index" | "files-inventory"; scopes?: string[]; mode?: "add" | "set" },
  jar = me.jar,
) {
  const started = await startGrant(me.ctx, input);
  const pending = openPendingConsent(started.cookie.value);
  const callbackUrl = await approveConsentOverHttp(new URL(started.authorizationUrl), person, "http://localhost:3000/grants/callback", jar);
  const result = await completeGrant({ ...me.ctx, correlationId: randomUUID() }, pending, callbackUrl);
  if (!result.ok) throw new Error(`consent failed: ${result.reason}`);
  return result;
}

async function keycloakConsentScopes(): Promise<string[] | null> {
  const consents = await adminFetch<{ clientId: string; grantedClientScopes: string[] }[]>(`/users/${person.sub}/consents`);
  return consents.find((c) => c.clientId === WORKER)?.grantedClientScopes ?? null;
}

async function enable(grantId: string, type: "notes-index" | "files-inventory") {
  await db().task.upsert({
    where: { userSub_type: { userSub: person.sub, type } },
    create: { userSub: person.sub, type, grantId, status: "active" },
    update: { grantId, status: "active", stoppedReason: null },
  });
}

beforeAll(async () => {
  person = await createPerson("lifecycle");
  me = await signInOverHttp(person);
});

afterAll(async () => {
  await deletePerson(person);
});

beforeEach(async () => {
  // Each test starts with no active grant for this person (a revoke through the state machine).
  for (const g of await db().grant.findMany({ where: { userSub: person.sub, status: "active" } })) {
    const begun = await beginGrantRevocation({
      userSub: person.sub,
      grantId: g.id,
      reason: "test reset",
      actor: { id: "test", type: "system" },
      correlationId: "reset",
    });
    if (begun) await attemptRevocation(begun.revocationId, "reset");
  }
});

describe("one grant per person and worker", () => {
  it("add access re-consents with the union and leaves exactly one active grant; two consents of one sign-in share Keycloak's offline session", async () => {
    const first = await consentThroughApp({ task: "notes-index" });
    expect(first.change).toBe("created");
    await enable(first.grantId, "notes-index");
    const second = await consentThroughApp({ task: "files-inventory" });
    expect(second.grantId).toBe(first.grantId);
    expect(second.change).toBe("widened");
    const active = await db().grant.findMany({ where: { userSub: person.sub, status: "active" } });
    expect(active).toHaveLength(1);
    expect(active[0]!.scopes).toEqual(expect.arrayContaining(["notes.read", "files.read"]));
    // Same SSO session → same offline session, so the replaced token was only forgotten (revoking it
    // would have ended the new one too) — and no superseding revocation was queued.
    expect(await db().revocation.count({ where: { grantId: first.grantId, purpose: "superseded_token" } })).toBe(0);
    expect((await listOfflineSessions(person.sub, WORKER)).map((s) => s.id)).toContain(active[0]!.keycloakSid);
    expect(await db().task.findFirstOrThrow({ where: { grantId: first.grantId } })).toMatchObject({ status: "active" });
    expect((await checkGrants([first.grantId], "t")).stillActive).toBe(1);
  });

  it("'Grant access' for what is already granted adds no second grant", async () => {
    const first = await consentThroughApp({ scopes: ["notes.read", "files.read"] });
    const again = await consentThroughApp({ scopes: ["notes.read"] });
    expect(again.grantId).toBe(first.grantId);
    expect(again.change).toBe("renewed");
    expect(await db().grant.count({ where: { userSub: person.sub, status: "active" } })).toBe(1);
  });

  it("a consent from another Keycloak session supersedes the old token: its own offline session ends, the grant lives on", async () => {
    const first = await consentThroughApp({ task: "notes-index" });
    const oldSid = (await db().grant.findUniqueOrThrow({ where: { id: first.grantId } })).keycloakSid!;
    const otherBrowser = new CookieJar();
    const second = await consentThroughApp({ task: "files-inventory" }, otherBrowser);
    expect(second.grantId).toBe(first.grantId);
    const superseded = await db().revocation.findFirstOrThrow({ where: { grantId: first.grantId, purpose: "superseded_token" } });
    expect(superseded.status).toBe("confirmed");
    expect(superseded.proof).toMatch(/refused by Keycloak/);
    expect((await listOfflineSessions(person.sub, WORKER)).map((s) => s.id)).not.toContain(oldSid);
    expect((await db().grant.findUniqueOrThrow({ where: { id: first.grantId } })).status).toBe("active");
    expect((await checkGrants([first.grantId], "t")).stillActive).toBe(1);
  });

  it("narrow access drops a scope: its task stops, the other keeps running, Keycloak's consent lists only what remains", async () => {
    const granted = await consentThroughApp({ scopes: ["notes.read", "files.read"] });
    await enable(granted.grantId, "notes-index");
    await enable(granted.grantId, "files-inventory");
    expect(await keycloakConsentScopes()).toEqual(expect.arrayContaining(["notes.read", "files.read"]));
    const narrowed = await consentThroughApp({ scopes: ["notes.read"], mode: "set" });
    expect(narrowed).toMatchObject({
      grantId: granted.grantId,
      change: "narrowed",
      droppedScopes: ["files.read"],
      stoppedTasks: ["files-inventory"],
      consentNarrowed: true,
    });
    const tasks = await db().task.findMany({ where: { grantId: granted.grantId } });
    expect(tasks.find((t) => t.type === "files-inventory")).toMatchObject({
      status: "revoked",
      stoppedReason: expect.stringMatching(/narrowed/),
    });
    expect(tasks.find((t) => t.type === "notes-index")).toMatchObject({ status: "active" });
    const consent = await keycloakConsentScopes();
    expect(consent).toContain("notes.read");
    expect(consent).not.toContain("files.read");
    const token = await getDelegatedToken({
      grantId: granted.grantId,
      recorder: createMemoryRecorder(),
      correlationId: "t",
      minValiditySeconds: 366 * 86400,
    });
    expect(String(decodeJwt(token.token).scope)).not.toContain("files.read");
  });
});

/** Keycloak compares token times in whole seconds: waits until a token issued now is older than the next second. */
async function nextSecond(): Promise<void> {
  const target = (Math.floor(Date.now() / 1000) + 1) * 1000 + 50;
  while (Date.now() < target) await new Promise((resolve) => setTimeout(resolve, target - Date.now()));
}

describe("what does not stop background work", () => {
  it("signing out of the dashboard (Keycloak SSO logout) keeps the grant and its tasks", async () => {
    const granted = await consentThroughApp({ task: "notes-index" });
    await enable(granted.grantId, "notes-index");
    await nextSecond();
    const ended = await endLoginSession(me.loginSessionId, person.sub);
    expect(ended.keycloakSessionEnded).toBe(true);
    await nextSecond();
    expect(await checkGrants([granted.grantId], "t")).toEqual({ stillActive: 1, revoked: 0, unknown: 0 });
    expect(await db().task.findFirstOrThrow({ where: { grantId: granted.grantId } })).toMatchObject({ status: "active" });
    me = await signInOverHttp(person);
  });
});

describe("what does not stop background work: a sign-in expiring", () => {
  // The dashboard's sign-in ends at Keycloak the way an expired SSO session does: Keycloak drops that one
  // (online) session, here through the admin API (DELETE /sessions/{id}, which leaves the offline session of
  // the same id alone and sets no not-before). Nobody signs out, no logout is sent, and the shared realm's
  // settings are never changed, so parallel sign-ins are unaffected.
  it("the dashboard sign-in expires at Keycloak: its LoginSession ends at the next confirmation, the grant keeps refreshing and its tasks keep running", async () => {
    const short = await signInOverHttp(person);
    const granted = await consentThroughApp({ task: "notes-index" }, short.jar);
    await enable(granted.grantId, "notes-index");
    const sid = (await db().grant.findUniqueOrThrow({ where: { id: granted.grantId } })).keycloakSid;
    expect(sid).toBe((await db().loginSession.findUniqueOrThrow({ where: { id: short.loginSessionId } })).keycloakSid);
    await adminFetch(`/sessions/${sid}`, { method: "DELETE" });

    await expect(confirmLogin(short.loginSessionId, person.sub, 0)).rejects.toMatchObject({ code: "Unauthenticated" });
    expect(await db().loginSession.findUniqueOrThrow({ where: { id: short.loginSessionId } })).toMatchObject({
      endedAt: expect.any(Date),
      endReason: expect.stringMatching(/^Keycloak refused to renew the sign-in: /),
      refreshTokenEnc: null,
    });
    expect(await checkGrants([granted.grantId], "t")).toEqual({ stillActive: 1, revoked: 0, unknown: 0 });
    expect(await checkGrants([granted.grantId], "t")).toEqual({ stillActive: 1, revoked: 0, unknown: 0 });
    expect(await db().grant.findUniqueOrThrow({ where: { id: granted.grantId } })).toMatchObject({ status: "active", lastRefreshOk: true });
    expect(await db().task.findFirstOrThrow({ where: { grantId: granted.grantId } })).toMatchObject({ status: "active" });
    expect((await listOfflineSessions(person.sub, WORKER)).map((s) => s.id)).toContain(sid);
  });
});

describe("what Keycloak ends, the dashboard honours", () => {
  // Keycloak's admin "Sign out" (POST /users/{id}/logout) sets the user's not-before: every token issued
  // before it — offline refresh tokens included — is refused as "Stale token", although the offline session
  // is still listed. The grant ends at the next check, like any revocation made at Keycloak. (A token from
  // the same second as the sign-out survives, which is why this test waits for the next second.)
  it("Keycloak's admin 'sign out user' ends offline access issued before it: the grant and its tasks stop at the next check", async () => {
    const granted = await consentThroughApp({ task: "notes-index" });
    await enable(granted.grantId, "notes-index");
    await nextSecond();
    await adminFetch(`/users/${person.sub}/logout`, { method: "POST" });
    expect(await checkGrants([granted.grantId], "t")).toEqual({ stillActive: 0, revoked: 1, unknown: 0 });
    const grant = await db().grant.findUniqueOrThrow({ where: { id: granted.grantId } });
    expect(grant).toMatchObject({ status: "revoked_at_provider", lastError: expect.stringMatching(/Stale token/) });
    expect(await db().task.findFirstOrThrow({ where: { grantId: granted.grantId } })).toMatchObject({ status: "revoked" });
    me = await signInOverHttp(person);
  });
});

describe("revocations", () => {
  it("revoke ends the offline session AND the consent in the person's name, optionally deleting collected data (notes index, files inventory) and saying what it kept", async () => {
    const granted = await consentThroughApp({ task: "notes-index" });
    await enable(granted.grantId, "notes-index");
    await db().noteDocument.create({ data: { userSub: person.sub, path: "/Notes/x.md", title: "x", content: "secret plans" } });
    await db().fileEntry.createMany({
      data: [
        { userSub: person.sub, path: "/Documents", isFolder: true, size: 0n },
        { userSub: person.sub, path: "/Documents/plans.odt", isFolder: false, size: 1234n },
      ],
    });
    // Another person's inventory is not the caller's to delete.
    const otherSub = `someone-else-${randomUUID()}`;
    await db().fileEntry.create({ data: { userSub: otherSub, path: "/Documents/theirs.odt", isFolder: false, size: 1n } });
    const token = await currentOfflineToken(granted.grantId);
    expect(await keycloakConsentScopes()).not.toBeNull();
    const receipt = await revokeGrant({ ...me.ctx, correlationId: randomUUID() }, { grantId: granted.grantId, deleteData: true });
    expect(receipt.keycloak).toBe("confirmed");
    expect(receipt.consent.state).toBe("removed");
    expect(receipt.consent.proof).toMatch(/no longer lists a consent/);
    expect(receipt.data).toEqual({
      deleted: { notes: 1, files: 2 },
      kept: [
        expect.stringMatching(
          /^the request feed \(what the worker did, when and with which result\): it is part of the tamper-evident audit trail/,
        ),
      ],
    });
    expect(await keycloakConsentScopes()).toBeNull();
    expect(await db().noteDocument.count({ where: { userSub: person.sub } })).toBe(0);
    expect(await db().fileEntry.count({ where: { userSub: person.sub } })).toBe(0);
    expect(await db().fileEntry.count({ where: { userSub: otherSub } })).toBe(1);
    await db().fileEntry.deleteMany({ where: { userSub: otherSub } });
    // The receipt read back later (the /access page) says the same.
    expect((await readReceipt(person.sub, granted.grantId)).data).toEqual(receipt.data);
    await expect(refreshOfflineToken(token, { recorder: createMemoryRecorder(), correlationId: "t" })).rejects.toMatchObject({
      error: "invalid_grant",
    });
    const grant = await db().grant.findUniqueOrThrow({ where: { id: granted.grantId } });
    expect(grant).toMatchObject({ status: "revoked", refreshTokenEnc: "", accessTokenEnc: null });
    expect(await db().task.findFirstOrThrow({ where: { grantId: granted.grantId } })).toMatchObject({ status: "revoked" });
  });

  it("removal in Keycloak's account console (consent deleted) stops the grant and its tasks at the next check", async () => {
    const granted = await consentThroughApp({ task: "notes-index" });
    await enable(granted.grantId, "notes-index");
    await adminFetch(`/users/${person.sub}/consents/${WORKER}`, { method: "DELETE" });
    expect(await checkGrants([granted.grantId], "t")).toMatchObject({ revoked: 1 });
    expect(await db().grant.findUniqueOrThrow({ where: { id: granted.grantId } })).toMatchObject({
      status: "revoked_at_provider",
      refreshTokenEnc: "",
    });
    expect(await db().task.findFirstOrThrow({ where: { grantId: granted.grantId } })).toMatchObject({
      status: "revoked",
      stoppedReason: expect.stringMatching(/revoked at Keycloak/),
    });
  });

  it("disabling the user in Keycloak stops the grant and its tasks at the next check", async () => {
    const granted = await consentThroughApp({ task: "notes-index" });
    await enable(granted.grantId, "notes-index");
    const user = await adminFetch<Record<string, unknown>>(`/users/${person.sub}`);
    await adminFetch(`/users/${person.sub}`, { method: "PUT", body: { ...user, enabled: false } });
    try {
      expect(await checkGrants([granted.grantId], "t")).toMatchObject({ revoked: 1 });
      expect(await db().task.findFirstOrThrow({ where: { grantId: granted.grantId } })).toMatchObject({ status: "revoked" });
    } finally {
      await adminFetch(`/users/${person.sub}`, { method: "PUT", body: { ...user, enabled: true } });
      me = await signInOverHttp(person);
    }
  });
});

describe("the health loop's choice of grants to re-check (grantsDueForCheck)", () => {
  it("an offline-access grant is due when never refreshed, when its last refresh is older than the limit, or when a re-check is due; not otherwise", async () => {
    const STALE_MS = 60_000;
    const granted = await consentThroughApp({ task: "notes-index" });
    const due = async () => (await grantsDueForCheck(STALE_MS, 10_000)).includes(granted.grantId);
    const setTimes = (data: { lastRefreshAt?: Date | null; recheckAt?: Date | null }) =>
      db().grant.update({ where: { id: granted.grantId }, data });
    // Never refreshed since the consent: checked at once.
    await setTimes({ lastRefreshAt: null });
    expect(await due()).toBe(true);
    // A check refreshes it: not due again until its last refresh is STALE_MS old.
    expect(await checkGrants([granted.grantId], "t")).toEqual({ stillActive: 1, revoked: 0, unknown: 0 });
    const checked = await db().grant.findUniqueOrThrow({ where: { id: granted.grantId } });
    expect(Date.now() - checked.lastRefreshAt!.getTime()).toBeLessThan(STALE_MS);
    expect(checked.recheckAt).toBeNull();
    expect(await due()).toBe(false);
    await setTimes({ lastRefreshAt: new Date(Date.now() - STALE_MS + 5000) });
    expect(await due()).toBe(false);
    await setTimes({ lastRefreshAt: new Date(Date.now() - STALE_MS - 1000) });
    expect(await due()).toBe(true);
    // A back-channel hint asks for a re-check: due once its time has come, however recent the last refresh.
    await setTimes({ lastRefreshAt: new Date() });
    expect(await requestGrantRecheck({ userSub: person.sub, clientId: WORKER, keycloakSid: checked.keycloakSid! }, 2000)).toBe(1);
    expect(await due()).toBe(false);
    await setTimes({ recheckAt: new Date(Date.now() - 1000) });
    expect(await due()).toBe(true);
    // The re-check (a live refresh) clears the hint.
    expect(await checkGrants([granted.grantId], "t")).toMatchObject({ stillActive: 1 });
    expect((await db().grant.findUniqueOrThrow({ where: { id: granted.grantId } })).recheckAt).toBeNull();
    expect(await due()).toBe(false);
    // Only active grants are ever due.
    await revokeGrant({ ...me.ctx, correlationId: randomUUID() }, { grantId: granted.grantId });
    await setTimes({ lastRefreshAt: null, recheckAt: new Date(Date.now() - 1000) });
    expect(await due()).toBe(false);
  });
});

describe("whoever notices a dead grant stops its tasks", () => {
  it("a tier probe that finds the grant removed in Keycloak stops its tasks (same transition as the worker's)", async () => {
    const granted = await consentThroughApp({ task: "notes-index" });
    await enable(granted.grantId, "notes-index");
    await adminFetch(`/users/${person.sub}/consents/${WORKER}`, { method: "DELETE" });
    const { probeOfflineAccess } = await import("@/lib/services/tiers/probe-offline-access");
    const probe = await probeOfflineAccess(
      { id: granted.grantId, scopes: ["notes.read"] },
      { recorder: createMemoryRecorder(), correlationId: "t" },
    );
    expect(probe.result.status).toBe("failing");
    expect(await db().grant.findUniqueOrThrow({ where: { id: granted.grantId } })).toMatchObject({ status: "revoked_at_provider" });
    expect(await db().task.findFirstOrThrow({ where: { grantId: granted.grantId } })).toMatchObject({ status: "revoked" });
  });
});

describe("token module edges", () => {
  it("exchanges on first use: the consent-time token (audience nextcloud + worker) is not reused when an audience-only token is asked for", async () => {
    const granted = await consentThroughApp({ task: "notes-index" });
    const first = await getDelegatedToken({
      grantId: granted.grantId,
      recorder: createMemoryRecorder(),
      correlationId: "t",
      exchange: true,
    });
    expect(first.source).toBe("exchange");
    expect(decodeJwt(first.token).aud).toBe("nextcloud");
    const second = await getDelegatedToken({
      grantId: granted.grantId,
      recorder: createMemoryRecorder(),
      correlationId: "t",
      exchange: true,
    });
    expect(second.source).toBe("cache");
  });

  it("a worker configured with another client's credentials gets a configuration error; the grant stays active", async () => {
    const redeemed = await consentInBrowser(me, ["notes.read"]);
    const { grantId } = await storeConsentedGrant(redeemed, "t");
    const saved = { id: process.env.KEYCLOAK_WORKER_CLIENT_ID, secret: process.env.KEYCLOAK_WORKER_CLIENT_SECRET };
    const { resetEnvForTests } = await import("@/lib/env");
    const { clearOidcConfigCache } = await import("@/lib/oauth/get-oidc-config");
    process.env.KEYCLOAK_WORKER_CLIENT_ID = process.env.KEYCLOAK_DASHBOARD_CLIENT_ID;
    process.env.KEYCLOAK_WORKER_CLIENT_SECRET = process.env.KEYCLOAK_DASHBOARD_CLIENT_SECRET;
    resetEnvForTests();
    clearOidcConfigCache();
    try {
      await expect(
        getDelegatedToken({ grantId, recorder: createMemoryRecorder(), correlationId: "t", minValiditySeconds: 366 * 86400 }),
      ).rejects.toMatchObject({
        code: "Misconfigured",
      });
    } finally {
      process.env.KEYCLOAK_WORKER_CLIENT_ID = saved.id;
      process.env.KEYCLOAK_WORKER_CLIENT_SECRET = saved.secret;
      resetEnvForTests();
      clearOidcConfigCache();
    }
    const grant = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(grant.status).toBe("active");
    expect(grant.lastError).toMatch(/worker client was refused/);
    expect((await checkGrants([grantId], "t")).stillActive).toBe(1);
  });
});

describe("secrets kept only while needed", () => {
  it("each transition into a final state wipes the grant's sealed tokens, driven on real rows", async () => {
    const sealedColumns = async (grantId: string) => {
      const g = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
      return { status: g.status, refresh: g.refreshTokenEnc, access: g.accessTokenEnc, accessExpiresAt: g.accessExpiresAt };
    };
    // revoked: the user revokes here (active → revoking → revoked).
    const revoked = await consentThroughApp({ task: "notes-index" });
    expect(await sealedColumns(revoked.grantId)).toMatchObject({ refresh: expect.any(String), access: expect.any(String) });
    await revokeGrant({ ...me.ctx, correlationId: randomUUID() }, { grantId: revoked.grantId });
    expect(await sealedColumns(revoked.grantId)).toEqual({ status: "revoked", refresh: "", access: null, accessExpiresAt: null });
    // revoked_at_provider: Keycloak refuses it (consent removed in the account console), seen by the health check.
    const refused = await consentThroughApp({ task: "notes-index" });
    expect(await sealedColumns(refused.grantId)).toMatchObject({ access: expect.any(String), accessExpiresAt: expect.any(Date) });
    await adminFetch(`/users/${person.sub}/consents/${WORKER}`, { method: "DELETE" });
    expect(await checkGrants([refused.grantId], "t")).toMatchObject({ revoked: 1 });
    expect(await sealedColumns(refused.grantId)).toEqual({
      status: "revoked_at_provider",
      refresh: "",
      access: null,
      accessExpiresAt: null,
    });
  });

  it("no row in a final state holds sealed token material (grants, revocations, login sessions — every row in the database)", async () => {
    // Produce each final state here, then scan everything (other files' rows included).
    const granted = await consentThroughApp({ task: "notes-index" });
    await revokeGrant({ ...me.ctx, correlationId: randomUUID() }, { grantId: granted.grantId });
    const ended = await signInOverHttp(person);
    await endLoginSession(ended.loginSessionId, person.sub);
    const grants = await db().grant.findMany({ where: { status: { in: ["revoked", "revoked_at_provider"] } } });
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants)
      expect({ id: g.id, refresh: g.refreshTokenEnc, access: g.accessTokenEnc, expires: g.accessExpiresAt }).toEqual({
        id: g.id,
        refresh: "",
        access: null,
        expires: null,
      });
    const confirmed = await db().revocation.findMany({ where: { status: "confirmed" } });
    expect(confirmed.length).toBeGreaterThan(0);
    for (const r of confirmed) expect({ id: r.id, token: r.tokenEnc }).toEqual({ id: r.id, token: "" });
    const endedSessions = await db().loginSession.findMany({ where: { endedAt: { not: null } } });
    expect(endedSessions.length).toBeGreaterThan(0);
    for (const s of endedSessions) {
      expect({ id: s.id, id_: s.idTokenEnc, access: s.accessTokenEnc, refresh: s.refreshTokenEnc }).toEqual({
        id: s.id,
        id_: "",
        access: "",
        refresh: null,
      });
    }
  });
});
