import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { revokeGrant, readReceipt } from "../revoke-grant";
import { processRevocationOutbox } from "@/lib/grants/confirm-revocation";
import { getDelegatedToken } from "@/lib/grants/get-delegated-token";
import { getUserByUsername, listOfflineSessions } from "@/test/keycloak/admin-api";
import { createPerson, deletePerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp, createMemoryRecorder } from "@/test/keycloak/grant-fixture";

// Stopping the shared Keycloak disturbs anyone else using it, so this runs where the test command
// owns Keycloak (scripts/test.sh sets ALLOW_KEYCLOAK_RESTART=1; CI always does).
const allowed = process.env.ALLOW_KEYCLOAK_RESTART === "1";

function keycloak(cmd: "stop" | "start") {
  execFileSync("scripts/keycloak.sh", [cmd], { stdio: "ignore", timeout: 240_000 });
}

// The title carries the reason, so scripts/summarise-tests.mjs can say why it was skipped.
const title = allowed
  ? "revocation while Keycloak is down"
  : "revocation while Keycloak is down [skipped: ALLOW_KEYCLOAK_RESTART is not 1 — this Keycloak is not owned by scripts/keycloak.sh]";
describe.skipIf(!allowed)(title, () => {
  it(
    "stops the grant at once, keeps the revocation in the outbox, and confirms it after Keycloak is back",
    { timeout: 300_000 },
    async () => {
      // A person of this file's own: stopping Keycloak mid-revocation must not touch anyone else's grant.
      const person = await createPerson("outage");
      const { grantId, redeemed } = await createGrantOverHttp(person, ["notes.read"]);
      const ctx = { userSub: redeemed.sub, username: person.username, isAdmin: false, correlationId: randomUUID() };
      keycloak("stop");
      try {
        const receipt = await revokeGrant(ctx, { grantId });
        expect(receipt.keycloak).toBe("waiting");
        expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("revoking");
        // Unusable immediately, without asking Keycloak.
        await expect(getDelegatedToken({ grantId, recorder: createMemoryRecorder(), correlationId: randomUUID() })).rejects.toMatchObject({
          code: "ConsentRevoked",
        });
        const pending = await db().revocation.findFirstOrThrow({ where: { grantId } });
        expect(pending.status).toBe("pending");
        expect(pending.attempts).toBeGreaterThanOrEqual(1);
        expect(pending.lastError).toBeTruthy();
        expect(pending.tokenEnc).not.toBe("");
      } finally {
        keycloak("start");
      }
      const deadline = Date.now() + 120_000;
      while ((await readReceipt(ctx.userSub, grantId)).keycloak !== "confirmed" && Date.now() < deadline) {
        await processRevocationOutbox();
        await new Promise((r) => setTimeout(r, 1000));
      }
      const receipt = await readReceipt(ctx.userSub, grantId);
      expect(receipt.keycloak).toBe("confirmed");
      expect(receipt.proof).toContain("invalid_grant");
      expect((await db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("revoked");
      expect((await db().revocation.findFirstOrThrow({ where: { grantId } })).tokenEnc).toBe("");
      // A Keycloak restarted with a changed realm file re-imports the realm: then the person, and every session of
      // theirs, is gone with it; otherwise the offline session must be gone on its own.
      const still = await getUserByUsername(person.username).catch(() => null);
      if (still) expect((await listOfflineSessions(still.id, "nextcloud-mcp-server")).map((s) => s.id)).not.toContain(redeemed.sid);
      await deletePerson(person);
    },
  );
});
