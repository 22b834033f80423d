import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { revokeToken } from "@/lib/oauth/revoke-token";
import { refreshOfflineToken } from "@/lib/oauth/refresh-offline-token";
import { revokeGrant } from "@/lib/services/grants/revoke-grant";
import { attemptRevocation } from "../confirm-revocation";
import { openSecret } from "@/lib/vault/token-vault";
import { vaultAad } from "@/lib/vault/aad";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp, createMemoryRecorder } from "@/test/keycloak/grant-fixture";

/**
 * A Keycloak that answers RFC 7009 with 200 but does not end the session (here: the revoke request is
 * swallowed on its way, the refresh is real). The receipt must stay "waiting": only a refused refresh
 * proves a revocation. Then the real revoke goes through and the same receipt becomes "confirmed".
 */
vi.mock("@/lib/oauth/revoke-token", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/oauth/revoke-token")>();
  return { revokeToken: vi.fn(actual.revokeToken) };
});

let person: TPerson;
let ctx: { userSub: string; username: string; isAdmin: boolean; correlationId: string };

beforeAll(async () => {
  person = await createPerson("revocation-proof");
  await db().user.upsert({ where: { sub: person.sub }, create: { sub: person.sub, username: person.username }, update: {} });
  ctx = { userSub: person.sub, username: person.username, isAdmin: false, correlationId: randomUUID() };
});

afterAll(async () => {
  await deletePerson(person);
});

async function pendingToken(revocationId: string): Promise<string> {
  const r = await db().revocation.findUniqueOrThrow({ where: { id: revocationId } });
  return openSecret({ keyId: r.keyId, sealed: r.tokenEnc }, vaultAad.revocationToken(r.id));
}

describe("the revocation proof", () => {
  it("a revoke that Keycloak 'accepts' while the token still refreshes is never confirmed; the real revoke then is", async () => {
    const { grantId } = await createGrantOverHttp(person, ["notes.read"]);
    const actual = (await vi.importActual<typeof import("@/lib/oauth/revoke-token")>("@/lib/oauth/revoke-token")).revokeToken;
    vi.mocked(revokeToken).mockImplementation(async () => undefined);

    const receipt = await revokeGrant(ctx, { grantId });
    expect(vi.mocked(revokeToken)).toHaveBeenCalled();
    expect(receipt).toMatchObject({ keycloak: "waiting", confirmedAt: null, proof: null });
    const row = await db().revocation.findUniqueOrThrow({ where: { id: receipt.revocationId! } });
    expect(row).toMatchObject({ status: "pending", lastError: "Keycloak still accepted the token after revocation", attempts: 1 });
    expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("revoking");

    // A retry meets the same Keycloak: still not confirmed, and the token it keeps is still live.
    expect(await attemptRevocation(row.id)).toBe("waiting");
    const live = await pendingToken(row.id);
    await expect(refreshOfflineToken(live, { recorder: createMemoryRecorder(), correlationId: randomUUID() })).resolves.toMatchObject({
      refreshToken: expect.any(String),
    });
    expect(await db().auditEvent.count({ where: { resource: `grant:${grantId}`, action: "grant.revoke_confirmed" } })).toBe(0);

    // Keycloak really revokes now: the refusal of the next refresh is the proof.
    vi.mocked(revokeToken).mockImplementation(actual);
    expect(await attemptRevocation(row.id)).toBe("confirmed");
    const confirmed = await revokeGrant(ctx, { grantId });
    expect(confirmed).toMatchObject({ keycloak: "confirmed", proof: expect.stringContaining("invalid_grant") });
    expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("revoked");
  });
});
