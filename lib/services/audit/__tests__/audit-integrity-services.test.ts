import { afterAll, describe, expect, it } from "vitest";
import { closeAuditPool } from "../../../audit/audit-pool";
import { db } from "../../../db";
import { getAuditTrustStatus } from "../get-audit-trust-status";
import { signAuditCheckpoint } from "../sign-audit-checkpoint";
import { verifyAuditWitness } from "../verify-audit-witness";
import { makeRun } from "./audit-fixtures";
import { testAuditAction } from "@/test/test-audit-action";

const run = makeRun();

afterAll(async () => {
  await closeAuditPool();
  await db().$disconnect();
});

describe("audit integrity services", () => {
  it("refuse non-admins (and record the refusal)", async () => {
    await expect(getAuditTrustStatus(run.asAlice)).rejects.toMatchObject({ code: "Forbidden" });
    await expect(signAuditCheckpoint(run.asAlice)).rejects.toMatchObject({ code: "Forbidden" });
    await expect(verifyAuditWitness(run.asAlice, { text: "{}" })).rejects.toMatchObject({ code: "Forbidden" });
    const refused = await db().auditEvent.count({
      where: { actor: run.alice, outcome: "refused", action: { in: ["audit.checkpoint", "audit.verify-witness"] } },
    });
    expect(refused).toBe(2);
  });

  it("after a checkpoint is signed on demand, the status is healthy and names it", async () => {
    await run.record({ action: testAuditAction("integrity.row") });
    const signed = await signAuditCheckpoint(run.admin);
    expect(signed.status).toBe("signed");
    const status = await getAuditTrustStatus(run.admin);
    expect(status).toMatchObject({ healthy: true, problems: [], signingConfigured: true, unsignedRows: "0" });
    expect(status.checkpoint).toMatchObject({ headSeq: signed.checkpoint!.headSeq, kid: "a2" });
    expect(status.verification).toMatchObject({ ok: true, mode: "incremental" });
    expect(status.checkpoint!.ageSeconds).toBeLessThan(30);
  });

  it("answers a file that is no witness with BadInput naming why, and records nothing for it", async () => {
    await expect(verifyAuditWitness(run.admin, { text: "" })).rejects.toMatchObject({ code: "BadInput", message: /empty/ });
    await expect(verifyAuditWitness(run.admin, { text: "a,b\r\n1,2\r\n" })).rejects.toMatchObject({
      code: "BadInput",
      message: /neither an audit export/,
    });
    await expect(verifyAuditWitness(run.admin, { text: '{"events": [{"seq": "1"}]}' })).rejects.toMatchObject({
      code: "BadInput",
      message: /no valid seq and hash/,
    });
    expect(await db().auditEvent.count({ where: { actor: run.admin.userSub, action: "audit.verify-witness" } })).toBe(0);
  });
});
