import { beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { SCOPE_CATALOG } from "@/lib/tasks/task-catalog";
import { createLocalPerson, createLocalTask } from "@/test/fixtures/local-grant";
import type { TPendingConsent } from "../pending-consent-cookie";
import { callback, pendingFor, redeemed } from "./consent-fixtures";

/**
 * Every rule of the consent callback (completeGrant) with Keycloak's side replaced by fakes: the code
 * redemption answers whatever a case needs (another person, a failure), and the calls that reach Keycloak
 * afterwards (revoking a foreign token, narrowing the consent, revoking a superseded token) are recorded.
 * Grants are stored for real. No Keycloak and no shared lock. (consent-and-revoke.test.ts proves the same
 * callback against the real Keycloak.)
 */
const fakes = vi.hoisted(() => ({ redeem: vi.fn(), revoke: vi.fn(), drop: vi.fn(), loginToken: vi.fn(), attempt: vi.fn() }));
vi.mock("@/lib/oauth/redeem-consent-code", () => ({ redeemConsentCode: fakes.redeem }));
vi.mock("@/lib/oauth/revoke-token", () => ({ revokeToken: fakes.revoke }));
vi.mock("@/lib/oauth/keycloak-account-api", () => ({ dropConsentedScopes: fakes.drop }));
vi.mock("@/lib/auth/login-session-token", () => ({ loginAccessToken: fakes.loginToken }));
vi.mock("@/lib/grants/confirm-revocation", () => ({ attemptRevocation: fakes.attempt }));
const { completeGrant } = await import("../complete-grant");

const WORKER = process.env.KEYCLOAK_WORKER_CLIENT_ID!;
type TPerson = Awaited<ReturnType<typeof createLocalPerson>>;
let person: TPerson;
let ctx: TPerson & { loginSessionId: string };
let pending: TPendingConsent;

const okCallback = () => callback({ state: pending.checks.state, code: "the-code" });
const consentAudit = async (subject: string) =>
  (await db().auditEvent.findMany({ where: { subject, action: "grant.consent" }, orderBy: { seq: "asc" } })).map((r) => ({
    outcome: r.outcome,
    errorCode: r.errorCode,
    details: r.details,
    actor: r.actor,
    resource: r.resource,
    correlationId: r.correlationId,
  }));
const grantsOf = (userSub: string) => db().grant.findMany({ where: { userSub } });

beforeEach(async () => {
  for (const f of Object.values(fakes)) f.mockReset();
  fakes.revoke.mockResolvedValue(undefined);
  fakes.attempt.mockResolvedValue("confirmed");
  fakes.loginToken.mockResolvedValue("login-access-token");
  fakes.drop.mockResolvedValue([]);
  person = await createLocalPerson("consent");
  ctx = { ...person, loginSessionId: `login-${randomUUID()}` };
  pending = pendingFor(person.userSub, ctx.loginSessionId);
});

describe("completeGrant refuses before redeeming anything", () => {
  it("without a pending request, or one sealed for another person or another sign-in", async () => {
    const other = await createLocalPerson("consent-other");
    for (const [why, p] of [
      ["none", null],
      ["another person", pendingFor(other.userSub, ctx.loginSessionId)],
      ["another sign-in of the same person", pendingFor(person.userSub, `login-${randomUUID()}`)],
    ] as const) {
      expect(await completeGrant(ctx, p, callback({ state: p?.checks.state ?? "s", code: "c" })), why).toEqual({
        ok: false,
        reason: "no_pending_request",
      });
    }
    expect(fakes.redeem).not.toHaveBeenCalled();
    expect(await grantsOf(person.userSub)).toEqual([]);
    const rows = await consentAudit(person.userSub);
    expect(rows).toHaveLength(3);
    for (const r of rows)
      expect(r).toMatchObject({
        outcome: "refused",
        errorCode: null,
        actor: person.userSub,
        resource: `client:${WORKER}`,
        correlationId: ctx.correlationId,
        details: { reason: "no pending consent request for this sign-in" },
      });
  });

  it("when the state does not match (or is missing)", async () => {
    expect(await completeGrant(ctx, pending, callback({ state: "forged", code: "c" }))).toEqual({ ok: false, reason: "state_mismatch" });
    expect(await completeGrant(ctx, pending, callback({ code: "c" }))).toEqual({ ok: false, reason: "state_mismatch" });
    expect(fakes.redeem).not.toHaveBeenCalled();
    expect((await consentAudit(person.userSub)).map((r) => r.details)).toEqual([
      { reason: "state mismatch" },
      { reason: "state mismatch" },
    ]);
  });

  it("when the person declined at Keycloak, naming Keycloak's error", async () => {
    expect(await completeGrant(ctx, pending, callback({ state: pending.checks.state, error: "access_denied" }))).toEqual({
      ok: false,
      reason: "declined",
      detail: "access_denied",
    });
    expect(fakes.redeem).not.toHaveBeenCalled();
    expect(await consentAudit(person.userSub)).toMatchObject([
      { outcome: "refused", errorCode: "access_denied", details: { reason: "declined at Keycloak" } },
    ]);
  });
});

describe("completeGrant when the redemption fails", () => {
  it("passes our own error's words on, and hides anything else behind a generic message", async () => {
    fakes.redeem.mockRejectedValueOnce(
      Object.assign(new AppError("ProviderError", "invalid_grant: Code not valid"), { error: "invalid_grant" }),
    );
    expect(await completeGrant(ctx, pending, okCallback())).toEqual({
      ok: false,
      reason: "provider_error",
      detail: "invalid_grant: Code not valid",
    });
    fakes.redeem.mockRejectedValueOnce(new Error("socket hang up with internals"));
    expect(await completeGrant(ctx, pending, okCallback())).toEqual({
      ok: false,
      reason: "provider_error",
      detail: "the consent response could not be verified",
    });
    expect(fakes.redeem).toHaveBeenCalledWith(okCallback(), pending.checks);
    expect(await consentAudit(person.userSub)).toMatchObject([
      { outcome: "failure", errorCode: "invalid_grant", details: { reason: "invalid_grant: Code not valid" } },
      { outcome: "failure", errorCode: null, details: { reason: "the consent response could not be verified" } },
    ]);
    expect(await grantsOf(person.userSub)).toEqual([]);
  });
});

describe("completeGrant when someone else consented at Keycloak", () => {
  it("stores nothing and revokes their offline token at once", async () => {
    const stranger = await createLocalPerson("consent-stranger");
    const theirs = redeemed(stranger.userSub);
    fakes.redeem.mockResolvedValueOnce(theirs);
    expect(await completeGrant(ctx, pending, okCallback())).toEqual({ ok: false, reason: "other_person" });
    expect(fakes.revoke).toHaveBeenCalledWith(
      theirs.offlineToken,
      "refresh_token",
      expect.objectContaining({ subject: stranger.userSub, correlationId: ctx.correlationId }),
    );
    expect(await grantsOf(person.userSub)).toEqual([]);
    expect(await grantsOf(stranger.userSub)).toEqual([]);
    expect(await consentAudit(person.userSub)).toMatchObject([
      {
        outcome: "refused",
        details: { reason: "the person who consented at Keycloak is not the person signed in", consentedSubject: stranger.userSub },
      },
    ]);
  });

  it("still refuses when that revocation fails", async () => {
    fakes.redeem.mockResolvedValueOnce(redeemed(`stranger-${randomUUID()}`));
    fakes.revoke.mockRejectedValueOnce(new Error("Keycloak down"));
    expect(await completeGrant(ctx, pending, okCallback())).toEqual({ ok: false, reason: "other_person" });
  });
});

describe("completeGrant stores the consent as THE grant of the person", () => {
  it("creates it with the scopes Keycloak granted (not those asked for) and audits the consent", async () => {
    const mine = redeemed(person.userSub, ["openid", "offline_access", "files.read"]);
    fakes.redeem.mockResolvedValueOnce(mine);
    const result = await completeGrant(ctx, pending, okCallback());
    const [grant, ...more] = await grantsOf(person.userSub);
    expect(more).toEqual([]);
    expect(result).toEqual({
      ok: true,
      grantId: grant!.id,
      scopes: mine.grantedScopes,
      change: "created",
      droppedScopes: [],
      stoppedTasks: [],
      consentNarrowed: null,
    });
    expect(grant).toMatchObject({ status: "active", scopes: mine.grantedScopes, clientId: WORKER, keycloakSid: "sid-1" });
    expect(await consentAudit(person.userSub)).toMatchObject([
      {
        outcome: "success",
        errorCode: null,
        details: {
          grantId: grant!.id,
          change: "created",
          scopes: mine.grantedScopes,
          requested: pending.checks.requestedScopes,
          task: "notes-index",
        },
      },
    ]);
    expect(fakes.drop).not.toHaveBeenCalled();
    expect(fakes.attempt).not.toHaveBeenCalled();
  });

  it("narrowing stops the tasks that need a dropped scope and narrows Keycloak's consent in the person's name", async () => {
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read", "files.read"]));
    const first = await completeGrant(ctx, pending, okCallback());
    if (!first.ok) throw new Error("first consent failed");
    const files = await createLocalTask(person.userSub, first.grantId, "files-inventory");
    const notes = await createLocalTask(person.userSub, first.grantId, "notes-index");
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read"]));
    const result = await completeGrant(ctx, pending, okCallback());
    expect(result).toEqual({
      ok: true,
      grantId: first.grantId,
      scopes: ["offline_access", "notes.read"],
      change: "narrowed",
      droppedScopes: ["files.read"],
      stoppedTasks: ["files-inventory"],
      consentNarrowed: true,
    });
    expect(fakes.loginToken).toHaveBeenCalledWith(ctx.loginSessionId, person.userSub);
    expect(fakes.drop).toHaveBeenCalledWith("login-access-token", WORKER, [SCOPE_CATALOG["files.read"]!.consentText]);
    expect((await db().task.findUniqueOrThrow({ where: { id: files } })).status).toBe("revoked");
    expect((await db().task.findUniqueOrThrow({ where: { id: notes } })).status).toBe("active");
  });

  it("says so when Keycloak's consent could not be narrowed, and keeps the narrowed grant", async () => {
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read", "files.read"]));
    await completeGrant(ctx, pending, okCallback());
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read"]));
    fakes.drop.mockRejectedValueOnce(new Error("account API refused"));
    expect(await completeGrant(ctx, pending, okCallback())).toMatchObject({ ok: true, change: "narrowed", consentNarrowed: false });
    expect((await grantsOf(person.userSub))[0]!.scopes).toEqual(["offline_access", "notes.read"]);
  });

  it("a widening needs no narrowing at Keycloak", async () => {
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read"]));
    await completeGrant(ctx, pending, okCallback());
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read", "files.read"]));
    expect(await completeGrant(ctx, pending, okCallback())).toMatchObject({
      ok: true,
      change: "widened",
      droppedScopes: [],
      consentNarrowed: null,
    });
    expect(fakes.drop).not.toHaveBeenCalled();
  });

  it("revokes a replaced token of another Keycloak session through the outbox at once; a failure there is deferred", async () => {
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read"], "sid-old"));
    await completeGrant(ctx, pending, okCallback());
    expect(fakes.attempt).not.toHaveBeenCalled();
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read"], "sid-new"));
    fakes.attempt.mockRejectedValueOnce(new Error("Keycloak down"));
    expect(await completeGrant(ctx, pending, okCallback())).toMatchObject({ ok: true, change: "renewed" });
    const queued = await db().revocation.findFirstOrThrow({ where: { userSub: person.userSub, purpose: "superseded_token" } });
    expect(fakes.attempt).toHaveBeenCalledWith(queued.id, ctx.correlationId);
  });
});
