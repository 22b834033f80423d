import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { createLocalPerson } from "@/test/fixtures/local-grant";
import type { TPendingConsent } from "../pending-consent-cookie";
import { callback, pendingFor, redeemed } from "./consent-fixtures";

/**
 * What the consent callback (completeGrant) tells operators when a call to Keycloak after the consent fails:
 * the person's result stays as it is, and one warning line names what was not done, with the error and the
 * request's correlation id (read from the logger's real output, stderr). Keycloak's side is faked as in
 * consent-completion-rules.test.ts; no Keycloak, no shared lock.
 */
const fakes = vi.hoisted(() => ({ redeem: vi.fn(), revoke: vi.fn(), drop: vi.fn(), loginToken: vi.fn(), attempt: vi.fn() }));
vi.mock("@/lib/oauth/redeem-consent-code", () => ({ redeemConsentCode: fakes.redeem }));
vi.mock("@/lib/oauth/revoke-token", () => ({ revokeToken: fakes.revoke }));
vi.mock("@/lib/oauth/keycloak-account-api", () => ({ dropConsentedScopes: fakes.drop }));
vi.mock("@/lib/auth/login-session-token", () => ({ loginAccessToken: fakes.loginToken }));
vi.mock("@/lib/grants/confirm-revocation", () => ({ attemptRevocation: fakes.attempt }));
const { completeGrant } = await import("../complete-grant");

type TPerson = Awaited<ReturnType<typeof createLocalPerson>>;
let person: TPerson;
let ctx: TPerson & { loginSessionId: string };
let pending: TPendingConsent;

const okCallback = () => callback({ state: pending.checks.state, code: "the-code" });

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

let warnings: Record<string, unknown>[];
const original = process.stderr.write;
const savedLevel = process.env.LOG_LEVEL;
beforeEach(() => {
  warnings = [];
  // Whatever the run's level (Stryker runs with LOG_LEVEL=error), warnings are what is checked here.
  process.env.LOG_LEVEL = "warn";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    for (const line of text.split("\n").filter(Boolean)) warnings.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  }) as typeof process.stderr.write;
});
afterEach(() => {
  process.stderr.write = original;
  if (savedLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = savedLevel;
});
const warned = (msg: string) => warnings.filter((w) => w.msg === msg).map((w) => ({ error: w.error, correlationId: w.correlationId }));

describe("completeGrant warns when a follow-up call to Keycloak fails", () => {
  it("revoking someone else's offline token", async () => {
    fakes.redeem.mockResolvedValueOnce(redeemed(`stranger-${randomUUID()}`));
    fakes.revoke.mockRejectedValueOnce(new Error("Keycloak down"));
    expect(await completeGrant(ctx, pending, okCallback())).toEqual({ ok: false, reason: "other_person" });
    expect(warned("could not revoke a foreign offline token")).toEqual([
      { error: { name: "Error", message: "Keycloak down" }, correlationId: ctx.correlationId },
    ]);
  });

  it("narrowing the consent at Keycloak", async () => {
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read", "files.read"]));
    await completeGrant(ctx, pending, okCallback());
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read"]));
    fakes.drop.mockRejectedValueOnce(new Error("account API refused"));
    expect(await completeGrant(ctx, pending, okCallback())).toMatchObject({ ok: true, consentNarrowed: false });
    expect(warned("could not narrow the consent at Keycloak")).toEqual([
      { error: { name: "Error", message: "account API refused" }, correlationId: ctx.correlationId },
    ]);
  });

  it("revoking a replaced token of another session (left to the outbox)", async () => {
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read"], "sid-old"));
    await completeGrant(ctx, pending, okCallback());
    fakes.redeem.mockResolvedValueOnce(redeemed(person.userSub, ["offline_access", "notes.read"], "sid-new"));
    fakes.attempt.mockRejectedValueOnce(new Error("Keycloak down"));
    expect(await completeGrant(ctx, pending, okCallback())).toMatchObject({ ok: true, change: "renewed" });
    expect(warned("superseded token revocation deferred to the outbox")).toEqual([
      { error: { name: "Error", message: "Keycloak down" }, correlationId: ctx.correlationId },
    ]);
  });
});
