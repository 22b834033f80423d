/**
 * The tier probes against the running Keycloak 26.7 with a real offline grant of an admin. The realm is
 * shared: every change to the worker client is undone in `finally`, and off-windows are short; the admin and
 * alice are this file's own persons (created in the realm, deleted afterwards).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { adminFetch, getClientByClientId, withClientAttributes, type TKcClient } from "@/test/keycloak/admin-api";
import { createGrantOverHttp } from "@/test/keycloak/grant-fixture";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { auditRecorder } from "@/lib/audit/record-event";
import type { TCtx } from "@/lib/services/context";
import { runTierProbes } from "../run-tier-probes";
import { listTierProbes } from "../list-tier-probes";
import { probeServiceAccounts } from "../probe-service-accounts";
import { STANDARD_EXCHANGE_FIX, type TTierMechanism, type TTierProbeView } from "../tier-types";
import { resetEnvForTests } from "@/lib/env";
import { startNextcloudStandIn, type TNextcloudStandIn } from "@/test/nextcloud-stand-in/start-stand-in";

const WORKER = "nextcloud-mcp-server";
// The services take the admin role from the caller's context, so the admin person needs no realm role.
const people: TPerson[] = [];
let adminPerson: TPerson;
let alicePerson: TPerson;
let admin: TCtx;
let aliceSub: string;
let adminGrantId: string;
// Tier 2 goes end to end: the exchanged token is presented to this file's Nextcloud stand-in.
let standIn: TNextcloudStandIn;

const ctxOf = (c: Omit<TCtx, "correlationId">): TCtx => ({ ...c, correlationId: randomUUID() });
const pick = (probes: TTierProbeView[], m: TTierMechanism) => probes.find((p) => p.mechanism === m)!;

beforeAll(async () => {
  standIn = await startNextcloudStandIn({ port: 0, issuer: process.env.KEYCLOAK_ISSUER!, audience: "nextcloud" });
  process.env.NEXTCLOUD_URL = standIn.url;
  resetEnvForTests();
  people.push((adminPerson = await createPerson("tiers-admin")));
  people.push((alicePerson = await createPerson("tiers-alice")));
  const a = await createGrantOverHttp(adminPerson, ["notes.read"]);
  adminGrantId = a.grantId;
  admin = ctxOf({ userSub: a.redeemed.sub, username: adminPerson.username, isAdmin: true });
  // Alice's grant is newer than the admin's: the probes must still use the admin's own.
  aliceSub = (await createGrantOverHttp(alicePerson, ["notes.read"])).redeemed.sub;
});

afterAll(async () => {
  // Through the state machine (tokens move to the outbox and are wiped), never by writing the status.
  try {
    if (adminGrantId) {
      const { beginGrantRevocation } = await import("@/lib/grants/begin-grant-revocation");
      const grant = await db().grant.findUniqueOrThrow({ where: { id: adminGrantId } });
      await beginGrantRevocation({
        userSub: grant.userSub,
        grantId: adminGrantId,
        reason: "test cleanup",
        actor: { id: "test", type: "system" },
        correlationId: "cleanup",
      });
    }
    await standIn?.close();
  } finally {
    for (const p of people) await deletePerson(p);
  }
});

describe("tier probes (live Keycloak)", () => {
  it("Tier 2 works with the user's sub, the worker's azp and aud nextcloud; Tier 1 refused verbatim; offline works; no act", async () => {
    const probes = await runTierProbes({ ...admin, correlationId: randomUUID() }, { trigger: "on-demand" });
    expect(probes.map((p) => p.mechanism)).toEqual([
      "tier0-basic-auth",
      "offline-access",
      "tier1-impersonation",
      "tier2-token-exchange",
      "delegation-act",
      "service-accounts",
      "app-password",
      "nextcloud-oidc-provider",
      "nextcloud-impersonate-app",
    ]);

    const offline = pick(probes, "offline-access");
    expect(offline.status).toBe("works");
    expect(offline.evidence.response).toContain("includes offline_access");
    expect(offline.evidence.claims?.sub).toBe(admin.userSub);

    const t2 = pick(probes, "tier2-token-exchange");
    expect(t2.status).toBe("works");
    expect(t2.evidence.claims).toMatchObject({ sub: admin.userSub, azp: WORKER, act: null });
    const aud = t2.evidence.claims!.aud;
    expect(Array.isArray(aud) ? aud : [aud]).toContain("nextcloud");
    expect(t2.evidence.claims!.sub).not.toBe(aliceSub);
    expect(t2.checkedAt).not.toBeNull();
    // End to end: Nextcloud resolved the exchanged token to the probing admin's own account.
    expect(t2.evidence.claims!.nextcloudUser).toBe(adminPerson.username);
    expect(standIn.provisioned().map((u) => u.uid)).toEqual([adminPerson.username]);
    // The live matrix: user_oidc bearer tokens reach WebDAV and OCS only (Nextcloud's verbatim statuses).
    expect(Object.fromEntries((t2.evidence.capabilities ?? []).map((c) => [c.api, c.status]))).toEqual({
      "webdav-files": 207,
      "ocs-user": 200,
      caldav: 401,
      carddav: 401,
      "notes-api": 401,
    });

    expect(pick(probes, "app-password").status).toBe("not_configured");
    const oidcApp = pick(probes, "nextcloud-oidc-provider");
    expect(oidcApp.status).toBe("refused");
    expect(oidcApp.evidence.response).toContain('grant_types_supported: ["authorization_code","implicit"]');
    const impersonate = pick(probes, "nextcloud-impersonate-app");
    expect(impersonate.status).toBe("rejected_by_policy");
    expect(impersonate.evidence.response).toBe("HTTP 404: the Impersonate app is not installed");

    const t1 = pick(probes, "tier1-impersonation");
    expect(t1.status).toBe("refused");
    expect(t1.evidence.response).toBe(
      "invalid_request: Parameter 'requested_subject' is not supported for standard token exchange (HTTP 400)",
    );
    expect(t1.evidence.notes?.join(" ")).toMatch(/Legacy V1 token exchange \(a preview feature.*not for production/);

    expect(pick(probes, "delegation-act").status).toBe("not_detected");
    expect(pick(probes, "tier0-basic-auth").status).toBe("not_configured");

    // One audited tier.probe per mechanism, by this admin, for this run.
    const audited = await db().auditEvent.findMany({
      where: { action: "tier.probe", correlationId: { not: "" }, actor: admin.userSub },
      orderBy: { seq: "desc" },
      take: probes.length,
    });
    expect(audited.map((e) => e.mechanism).sort()).toEqual([...probes.map((p) => p.mechanism)].sort());
  });

  it("with standard.token.exchange.enabled off, Tier 2 is failing with Keycloak's words and the exact fix; back on, it works", async () => {
    const probes = await withClientAttributes(WORKER, { "standard.token.exchange.enabled": "false" }, () =>
      runTierProbes({ ...admin, correlationId: randomUUID() }, { trigger: "on-demand" }),
    );
    const t2 = pick(probes, "tier2-token-exchange");
    expect(t2.status).toBe("failing");
    expect(t2.evidence.response).toBe("invalid_request: Standard token exchange is not enabled for the requested client (HTTP 400)");
    expect(t2.fix).toBe(STANDARD_EXCHANGE_FIX(WORKER));
    expect(t2.fix).toContain("Client details → Capability config → Standard Token Exchange");
    expect(pick(probes, "delegation-act").status).toBe("not_detected");

    const after = await runTierProbes({ ...admin, correlationId: randomUUID() }, { trigger: "on-demand" });
    expect(pick(after, "tier2-token-exchange").status).toBe("works");
  });

  it("service accounts: rejected by policy; Keycloak's refusal shown verbatim and no warning while the worker has none", async () => {
    expect((await getClientByClientId(WORKER)).serviceAccountsEnabled).toBe(false);
    const r = await probeServiceAccounts({ recorder: auditRecorder, correlationId: randomUUID() });
    expect(r.status).toBe("rejected_by_policy");
    expect(r.evidence.warning).toBeUndefined();
    expect(r.evidence.response).toMatch(/^unauthorized_client: .+ — good: Keycloak refuses/);
    expect(r.evidence.notes?.join(" ")).toMatch(/admin by another name/);
    expect(r.evidence.notes?.join(" ")).toMatch(/user_oidc bearer provisioning/);
  });

  it("service accounts: warns while the worker client has service accounts enabled (restored in finally)", async () => {
    const setEnabled = async (on: boolean) => {
      const c = await getClientByClientId(WORKER);
      await adminFetch<void>(`/clients/${c.id}`, { method: "PUT", body: { ...c, serviceAccountsEnabled: on } satisfies TKcClient });
    };
    const before = (await getClientByClientId(WORKER)).serviceAccountsEnabled === true;
    let r;
    try {
      await setEnabled(true);
      r = await probeServiceAccounts({ recorder: auditRecorder, correlationId: randomUUID() });
    } finally {
      await setEnabled(before);
    }
    expect((await getClientByClientId(WORKER)).serviceAccountsEnabled).toBe(before);
    expect(r.status).toBe("rejected_by_policy");
    expect(r.evidence.warning).toBe(`Client ${WORKER} still has service accounts enabled in the realm.`);
    expect(r.evidence.claims?.preferred_username).toBe(`service-account-${WORKER}`);
    expect(r.fix).toContain("Service accounts roles");
    expect(JSON.stringify(r)).not.toContain("eyJ");
  });

  it("an admin without a grant of their own gets 'needs a probe grant': other users' grants are never used", async () => {
    const stranger = ctxOf({ userSub: `no-grant-${randomUUID()}`, username: "other-admin", isAdmin: true });
    const probes = await runTierProbes(stranger, { trigger: "on-demand" });
    for (const m of ["offline-access", "tier1-impersonation", "tier2-token-exchange", "delegation-act"] as const) {
      expect(pick(probes, m).status).toBe("needs_probe_grant");
    }
    expect(pick(probes, "offline-access").fix).toContain("/grants/new?task=notes-index");
    // Put the admin's real results back for the remaining assertions.
    await runTierProbes({ ...admin, correlationId: randomUUID() }, { trigger: "on-demand" });
  });

  it("no token material in any stored evidence or tier.probe audit row", async () => {
    const rows = await db().tierProbe.findMany();
    expect(rows).toHaveLength(9);
    expect(JSON.stringify(rows)).not.toContain("eyJ");
    const audited = await db().auditEvent.findMany({
      where: { action: { in: ["tier.probe", "token.exchange", "token.refresh", "token.client_credentials"] } },
    });
    expect(audited.length).toBeGreaterThan(0);
    expect(JSON.stringify(audited, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain("eyJ");
  });

  it("a non-admin calling the services gets Forbidden (and the attempt is audited)", async () => {
    const alice = ctxOf({ userSub: aliceSub, username: alicePerson.username, isAdmin: false });
    await expect(runTierProbes(alice)).rejects.toMatchObject({ code: "Forbidden" });
    await expect(listTierProbes(alice)).rejects.toMatchObject({ code: "Forbidden" });
    const refused = await db().auditEvent.findFirst({ where: { action: "tier.probe", actor: aliceSub, outcome: "refused" } });
    expect(refused).not.toBeNull();
  });
});
