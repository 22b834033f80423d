import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { handleBackchannelLogout, verifyLogoutToken } from "../handle-backchannel-logout";
import { checkGrants } from "@/lib/grants/check-grants";
import { adminFetch, listOfflineSessions, withClientAttributes } from "@/test/keycloak/admin-api";
import { createGrantOverHttp } from "@/test/keycloak/grant-fixture";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { startLogoutReceiver, type TLogoutReceiver } from "@/test/keycloak/logout-receiver";

const WORKER = "nextcloud-mcp-server";
let receiver: TLogoutReceiver;
// Each case consents as a person of its own: no grant, consent or session is shared with another case or file.
const people: TPerson[] = [];
async function newPerson(): Promise<TPerson> {
  const person = await createPerson("bcl");
  people.push(person);
  return person;
}

/**
 * Ends, through the admin API, the offline session a consent created (the newest one of the user for
 * the worker client); Keycloak then sends the worker client a real logout token.
 */
async function endOfflineSession(userSub: string) {
  const sessions = await listOfflineSessions(userSub, WORKER);
  const newest = sessions.sort((a, b) => b.start - a.start)[0];
  if (!newest) throw new Error("no offline session to end");
  await adminFetch(`/sessions/${newest.id}?isOffline=true`, { method: "DELETE" });
  return newest.id;
}

beforeAll(async () => {
  // Stands in for our route: captures what Keycloak really sends so the handler can verify it.
  receiver = await startLogoutReceiver("/api/backchannel-logout");
});

afterAll(async () => {
  await receiver.close();
  for (const p of people) await deletePerson(p);
});

describe("OIDC back-channel logout for the worker client", () => {
  it("verifies Keycloak's logout token; revoke_offline_access asks for a re-check that finds the ended session and stops the grant", async () => {
    await withClientAttributes(
      WORKER,
      { "backchannel.logout.url": receiver.url, "backchannel.logout.revoke.offline.tokens": "true" },
      async () => {
        const { grantId, redeemed } = await createGrantOverHttp(await newPerson(), ["notes.read"]);
        receiver.received.length = 0;
        await endOfflineSession(redeemed.sub);
        const token = await receiver.next();
        const claims = await verifyLogoutToken(token, WORKER);
        expect(claims.aud).toBe(WORKER);
        expect(claims.sub).toBe(redeemed.sub);
        expect(claims.events).toMatchObject({ "http://schemas.openid.net/event/backchannel-logout": {}, revoke_offline_access: true });
        expect(claims.nonce).toBeUndefined();
        const result = await handleBackchannelLogout(token);
        expect(result.revokeOffline).toBe(true);
        expect(result.recheckRequested).toBe(1);
        // The token alone changes nothing: the grant is still active until the re-check asks Keycloak.
        const marked = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
        expect(marked.status).toBe("active");
        expect(marked.recheckAt).not.toBeNull();
        await checkGrants([grantId], "test");
        const grant = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
        expect(grant.status).toBe("revoked_at_provider");
        expect(grant.refreshTokenEnc).toBe("");
        // A replayed token is refused and changes nothing.
        await expect(handleBackchannelLogout(token)).rejects.toMatchObject({ code: "BadInput", message: expect.stringMatching(/replay/) });
      },
    );
  });

  it("without revoke_offline_access the handler revokes nothing itself (the health check notices dead grants)", async () => {
    await withClientAttributes(
      WORKER,
      { "backchannel.logout.url": receiver.url, "backchannel.logout.revoke.offline.tokens": "false" },
      async () => {
        const { grantId, redeemed } = await createGrantOverHttp(await newPerson(), ["notes.read"]);
        receiver.received.length = 0;
        await endOfflineSession(redeemed.sub);
        const result = await handleBackchannelLogout(await receiver.next());
        expect(result.revokeOffline).toBe(false);
        expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("active");
      },
    );
  });

  it("rejects a tampered token and a signed token that is not a logout token", async () => {
    const { redeemed } = await createGrantOverHttp(await newPerson(), ["notes.read"]);
    const [h, p, s] = redeemed.accessToken.split(".");
    await expect(handleBackchannelLogout(`${h}.${p}.${s!.slice(0, -4)}AAAA`)).rejects.toMatchObject({ code: "BadInput" });
    // A genuine Keycloak access token: valid signature, but wrong audience and no logout event.
    await expect(handleBackchannelLogout(redeemed.accessToken)).rejects.toMatchObject({ code: "BadInput" });
    await expect(handleBackchannelLogout("not-a-jwt")).rejects.toMatchObject({ code: "BadInput" });
  });
});
