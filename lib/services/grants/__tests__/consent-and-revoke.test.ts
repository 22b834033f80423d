import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { startGrant } from "../start-grant";
import { completeGrant } from "../complete-grant";
import { openPendingConsent } from "../pending-consent-cookie";
import { revokeGrant } from "../revoke-grant";
import { revokeAllGrants } from "../revoke-all-grants";
import { listGrants } from "../list-grants";
import { checkGrantHealth } from "../check-grant-health";
import { refreshOfflineToken } from "@/lib/oauth/refresh-offline-token";
import { getDelegatedToken } from "@/lib/grants/get-delegated-token";
import { approveConsentOverHttp } from "@/test/keycloak/consent-over-http";
import { adminFetch, getClientByClientId, listOfflineSessions } from "@/test/keycloak/admin-api";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp, createMemoryRecorder, currentOfflineToken } from "@/test/keycloak/grant-fixture";

const WORKER = "nextcloud-mcp-server";
type TTestCtx = { userSub: string; username: string; isAdmin: boolean; correlationId: string; loginSessionId: string };
let alice: TTestCtx;
let bob: TTestCtx;
// This file's own people (one grant per person and worker): no other file's grants or consents interfere.
const people = {} as Record<"alice" | "bob", TPerson>;

async function ctxFor(username: "alice" | "bob"): Promise<TTestCtx> {
  const person = (people[username] = await createPerson(`consent-${username}`));
  await db().user.upsert({ where: { sub: person.sub }, create: { sub: person.sub, username: person.username }, update: {} });
  return {
    userSub: person.sub,
    username: person.username,
    isAdmin: false,
    correlationId: randomUUID(),
    loginSessionId: `test-login-${username}`,
  };
}

/** Starts a grant for `ctx`, approves it at Keycloak as `who`, and returns what the callback needs. */
async function consentAs(ctx: TTestCtx, who: "alice" | "bob", task: "notes-index" | "files-inventory" = "notes-index") {
  const started = await startGrant(ctx, { task });
  const pending = openPendingConsent(started.cookie.value);
  const callbackUrl = await approveConsentOverHttp(new URL(started.authorizationUrl), people[who]);
  return { pending, callbackUrl };
}

async function grantCount(userSub: string) {
  return db().grant.count({ where: { userSub } });
}

beforeAll(async () => {
  alice = await ctxFor("alice");
  bob = await ctxFor("bob");
});

afterAll(async () => {
  for (const p of Object.values(people)) await deletePerson(p);
});

describe("granting offline consent", () => {
  it("stores a grant whose scopes come from Keycloak's token response, and Keycloak holds the offline session", async () => {
    const before = (await listOfflineSessions(alice.userSub, WORKER)).length;
    const { pending, callbackUrl } = await consentAs(alice, "alice");
    const result = await completeGrant(alice, pending, callbackUrl);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const grant = await db().grant.findUniqueOrThrow({ where: { id: result.grantId } });
    expect(grant.status).toBe("active");
    expect(grant.userSub).toBe(alice.userSub);
    expect(grant.scopes).toEqual(expect.arrayContaining(["offline_access", "notes.read"]));
    expect(grant.scopes).not.toContain("files.read");
    expect((await listOfflineSessions(alice.userSub, WORKER)).length).toBeGreaterThanOrEqual(Math.max(1, before));
  });

  it("stores nothing for a callback without a pending request (forged)", async () => {
    const { callbackUrl } = await consentAs(alice, "alice");
    const before = await grantCount(alice.userSub);
    const result = await completeGrant(alice, null, callbackUrl);
    expect(result).toEqual({ ok: false, reason: "no_pending_request" });
    expect(await grantCount(alice.userSub)).toBe(before);
  });

  it("stores nothing when the pending request belongs to another sign-in", async () => {
    const { pending, callbackUrl } = await consentAs(alice, "alice");
    const before = await grantCount(bob.userSub);
    const result = await completeGrant(bob, pending, callbackUrl);
    expect(result).toEqual({ ok: false, reason: "no_pending_request" });
    expect(await grantCount(bob.userSub)).toBe(before);
  });

  it("stores nothing when the same person's callback arrives in another login session", async () => {
    const { pending, callbackUrl } = await consentAs(alice, "alice");
    const grantsBefore = await db().grant.findMany({ where: { userSub: alice.userSub }, orderBy: { id: "asc" } });
    const sameUserOtherSession = { ...alice, loginSessionId: `${alice.loginSessionId}-another-browser` };
    expect(await completeGrant(sameUserOtherSession, pending, callbackUrl)).toEqual({ ok: false, reason: "no_pending_request" });
    expect(await db().grant.findMany({ where: { userSub: alice.userSub }, orderBy: { id: "asc" } })).toEqual(grantsBefore);
    // The pending request is still good in its own session: the refusal was about the session alone.
    const own = await completeGrant(alice, pending, callbackUrl);
    expect(own.ok).toBe(true);
  });

  it("stores nothing on a wrong state", async () => {
    const { pending, callbackUrl } = await consentAs(alice, "alice");
    callbackUrl.searchParams.set("state", "forged-state");
    const before = await grantCount(alice.userSub);
    expect(await completeGrant(alice, pending, callbackUrl)).toEqual({ ok: false, reason: "state_mismatch" });
    expect(await grantCount(alice.userSub)).toBe(before);
  });

  it("refuses a reused code: the second redemption stores nothing", async () => {
    const { pending, callbackUrl } = await consentAs(alice, "alice");
    const first = await completeGrant(alice, pending, callbackUrl);
    expect(first.ok).toBe(true);
    const before = await grantCount(alice.userSub);
    const second = await completeGrant(alice, pending, callbackUrl);
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.reason).toBe("provider_error");
    expect(await grantCount(alice.userSub)).toBe(before);
  });

  it("refuses another person's login at Keycloak, stores nothing and revokes what Keycloak issued", async () => {
    const bobSessionsBefore = (await listOfflineSessions(bob.userSub, WORKER)).length;
    // Alice starts the grant here, but bob logs in at Keycloak.
    const { pending, callbackUrl } = await consentAs(alice, "bob");
    const aliceBefore = await grantCount(alice.userSub);
    const bobBefore = await grantCount(bob.userSub);
    expect(await completeGrant(alice, pending, callbackUrl)).toEqual({ ok: false, reason: "other_person" });
    expect(await grantCount(alice.userSub)).toBe(aliceBefore);
    expect(await grantCount(bob.userSub)).toBe(bobBefore);
    expect((await listOfflineSessions(bob.userSub, WORKER)).length).toBeLessThanOrEqual(bobSessionsBefore);
  });
});

describe("revoking", () => {
  it("stops the grant locally, revokes it at Keycloak with proof, and the old token no longer refreshes", async () => {
    const { grantId } = await createGrantOverHttp(people.alice, ["notes.read"]);
    const token = await currentOfflineToken(grantId);
    const receipt = await revokeGrant(alice, { grantId });
    expect(receipt.keycloak).toBe("confirmed");
    expect(receipt.proof).toContain("invalid_grant");
    const grant = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(grant.status).toBe("revoked");
    expect(grant.refreshTokenEnc).toBe("");
    await expect(refreshOfflineToken(token, { recorder: createMemoryRecorder(), correlationId: randomUUID() })).rejects.toMatchObject({
      error: "invalid_grant",
    });
    await expect(getDelegatedToken({ grantId, recorder: createMemoryRecorder(), correlationId: randomUUID() })).rejects.toMatchObject({
      code: "ConsentRevoked",
    });
    const rows = await db().auditEvent.findMany({ where: { subject: alice.userSub, resource: `grant:${grantId}` } });
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["grant.revoke_requested", "grant.revoke_confirmed"]));
  });

  it("is harmless twice", async () => {
    const { grantId } = await createGrantOverHttp(people.alice, ["notes.read"]);
    const first = await revokeGrant(alice, { grantId });
    const second = await revokeGrant(alice, { grantId });
    expect(second.revocationId).toBe(first.revocationId);
    expect(await db().revocation.count({ where: { grantId } })).toBe(1);
  });

  it("refuses another user's grant id and changes nothing", async () => {
    const { grantId } = await createGrantOverHttp(people.alice, ["notes.read"]);
    const before = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
    await expect(revokeGrant(bob, { grantId })).rejects.toMatchObject({ code: "NotFound" });
    await expect(checkGrantHealth(bob, { grantId })).rejects.toMatchObject({ code: "NotFound" });
    const after = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(after).toEqual(before);
    expect(await db().revocation.count({ where: { grantId } })).toBe(0);
  });

  it("rejects bad input without touching anything", async () => {
    await expect(revokeGrant(alice, { grantId: "" })).rejects.toThrow();
    await expect(revokeGrant(alice, { nope: true } as never)).rejects.toThrow();
  });

  it("revoke everything ends the one grant, including the offline sessions it superseded, at Keycloak too", async () => {
    const a = await createGrantOverHttp(people.bob, ["notes.read"]);
    const b = await createGrantOverHttp(people.bob, ["files.read"]);
    expect(b.grantId).toBe(a.grantId);
    const live = async () => (await listOfflineSessions(bob.userSub, WORKER)).map((s) => s.id);
    // The second consent came from another Keycloak session: the first one's offline session was ended.
    expect(await live()).not.toContain(a.redeemed.sid);
    expect(await live()).toContain(b.redeemed.sid);
    const receipts = await revokeAllGrants(bob);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.keycloak).toBe("confirmed");
    expect(await db().grant.count({ where: { userSub: bob.userSub, status: "active" } })).toBe(0);
    expect(await live()).not.toContain(b.redeemed.sid);
  });
});

describe("revocations made elsewhere", () => {
  it("a consent removed in Keycloak (account API) shows up here as revoked at the provider, with its tasks stopped", async () => {
    const { grantId } = await createGrantOverHttp(people.alice, ["files.read"]);
    await db().task.create({ data: { userSub: alice.userSub, type: `files-inventory-${grantId}`, grantId } });
    expect(await checkGrantHealth(alice, { grantId })).toEqual({ active: true });
    const client = await getClientByClientId(WORKER);
    // The admin API equivalent of "Remove access" in the account console: consent and offline tokens go.
    await adminFetch(`/users/${alice.userSub}/consents/${client.clientId}`, { method: "DELETE" });
    expect(await checkGrantHealth(alice, { grantId })).toEqual({ active: false });
    const grants = await listGrants(alice);
    const view = grants.find((g) => g.id === grantId)!;
    expect(view.status).toBe("revoked_at_provider");
    expect(view.revokeReason).toMatch(/no longer accepts this access \(.+\)/);
    const task = await db().task.findFirstOrThrow({ where: { grantId } });
    expect(task.status).toBe("revoked");
    expect(task.stoppedReason).toMatch(/access revoked at Keycloak/);
  });
});
