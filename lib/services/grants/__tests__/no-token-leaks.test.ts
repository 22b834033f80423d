import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { auditRecorder } from "@/lib/audit/record-event";
import { getDelegatedToken } from "@/lib/grants/get-delegated-token";
import { revokeGrant } from "../revoke-grant";
import { listGrants } from "../list-grants";
import { checkGrantHealth } from "../check-grant-health";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp, currentOfflineToken, expireCachedAccessToken } from "@/test/keycloak/grant-fixture";

const JWT = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/;
const written: string[] = [];
let restore: (() => void)[] = [];
// This file's own person (created in the shared realm, deleted afterwards): no other file's grants interfere.
let person: TPerson;

beforeAll(async () => {
  person = await createPerson("no-leaks");
  // Capture everything the process logs while tokens are handled.
  for (const stream of [process.stdout, process.stderr]) {
    const spy = vi.spyOn(stream, "write").mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    restore.push(() => spy.mockRestore());
  }
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
    restore.push(() => spy.mockRestore());
  }
  process.env.LOG_LEVEL = "debug";
});

afterAll(async () => {
  restore.forEach((r) => r());
  restore = [];
  if (person) await deletePerson(person);
});

describe("token material never leaks", () => {
  it("is absent from audit rows, receipts, grant views, errors and logs after a full grant life cycle", async () => {
    const started = new Date();
    const { grantId, redeemed } = await createGrantOverHttp(person, ["notes.read"]);
    const ctx = { userSub: redeemed.sub, username: person.username, isAdmin: false, correlationId: randomUUID() };
    const seen = new Set<string>([redeemed.offlineToken, redeemed.accessToken]);
    await expireCachedAccessToken(grantId);
    const exchanged = await getDelegatedToken({ grantId, recorder: auditRecorder, correlationId: randomUUID(), exchange: true });
    seen.add(exchanged.token);
    seen.add(await currentOfflineToken(grantId));
    expect(await checkGrantHealth(ctx, { grantId })).toEqual({ active: true });
    const receipt = await revokeGrant(ctx, { grantId });
    expect(receipt.keycloak).toBe("confirmed");
    const errors: string[] = [];
    await getDelegatedToken({ grantId, recorder: auditRecorder, correlationId: randomUUID() }).catch((e: Error) =>
      errors.push(e.message, JSON.stringify(e)),
    );

    const audit = JSON.stringify(await db().auditEvent.findMany({ where: { subject: redeemed.sub, at: { gte: started } } }), (_k, v) =>
      typeof v === "bigint" ? String(v) : v,
    );
    const revocations = JSON.stringify(await db().revocation.findMany({ where: { grantId }, select: { proof: true, lastError: true } }));
    const grant = JSON.stringify(
      await db().grant.findUniqueOrThrow({ where: { id: grantId }, select: { lastError: true, revokeReason: true } }),
    );
    const views = JSON.stringify(await listGrants(ctx));
    for (const text of [audit, revocations, grant, views, errors.join("\n"), written.join("")]) {
      expect(text).not.toMatch(JWT);
      for (const token of seen) expect(text).not.toContain(token);
    }
    expect(audit).toContain("token.exchange");
    expect(audit).toContain("grant.revoke_confirmed");
  });
});
