/**
 * App-password grants end to end against the Nextcloud stand-in (no Keycloak needed): Login Flow v2 from
 * start to stored grant, the refusals that must store nothing (another account, a timeout, a garbage
 * poll), revocation with Nextcloud's 401 as proof, a device removed in Nextcloud stopping the tasks through
 * the health check, and task requests audited with their mechanism.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextcloudStandIn, type TNextcloudStandIn } from "@/test/nextcloud-stand-in/start-stand-in";
import { createLocalPerson, deleteLocalPerson } from "@/test/fixtures/local-grant";
import { resetEnvForTests } from "@/lib/env";

let standIn: TNextcloudStandIn;
// Modules that read env() are imported after NEXTCLOUD_URL points at this file's stand-in.
let m: {
  db: typeof import("@/lib/db").db;
  startAppPasswordFlow: typeof import("@/lib/services/grants/start-app-password-flow").startAppPasswordFlow;
  pollAppPasswordFlow: typeof import("@/lib/services/grants/poll-app-password-flow").pollAppPasswordFlow;
  openPendingLoginFlow: typeof import("@/lib/services/grants/pending-login-flow-cookie").openPendingLoginFlow;
  revokeGrant: typeof import("@/lib/services/grants/revoke-grant").revokeGrant;
  enableTask: typeof import("@/lib/services/tasks/enable-task").enableTask;
  runTask: typeof import("@/lib/jobs/run-task").runTask;
  checkGrants: typeof import("../check-grants").checkGrants;
  grantsDueForCheck: typeof import("../check-grants").grantsDueForCheck;
  nextcloudAppPasswordRequest: typeof import("@/lib/nextcloud/app-password-request").nextcloudAppPasswordRequest;
  asAppPassword: typeof import("@/lib/nextcloud/app-password-types").asAppPassword;
  APP_PASSWORD_CLIENT_NAME: string;
};
const people: string[] = [];

type TCtx = Awaited<ReturnType<typeof createLocalPerson>> & { loginSessionId: string };

async function person(): Promise<TCtx> {
  const p = await createLocalPerson("apw");
  people.push(p.userSub);
  return { ...p, loginSessionId: `ls-${randomUUID()}` };
}

/** What the person does on Nextcloud's login page: sign in as `uid` and press "Grant access". */
async function approveAs(loginUrl: string, uid: string): Promise<void> {
  const res = await fetch(loginUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user: uid }),
  });
  expect(res.status).toBe(200);
}

async function start(ctx: TCtx) {
  const started = await m.startAppPasswordFlow(ctx);
  const pending = m.openPendingLoginFlow(started.cookie.value);
  expect(pending).not.toBeNull();
  return { loginUrl: started.loginUrl, pending: pending! };
}

async function connect(ctx: TCtx): Promise<string> {
  const { loginUrl, pending } = await start(ctx);
  await approveAs(loginUrl, ctx.username);
  const done = await m.pollAppPasswordFlow(ctx, pending);
  if (done.state !== "connected") throw new Error(`not connected: ${JSON.stringify(done)}`);
  return done.grantId;
}

const appPasswordGrants = (userSub: string) => m.db().grant.findMany({ where: { userSub, mechanism: "app_password" } });

async function runOnce(userSub: string, taskId: string) {
  const run = await m.db().taskRun.create({ data: { taskId, userSub, status: "queued" } });
  await m.runTask(run.id);
  return m.db().taskRun.findUniqueOrThrow({ where: { id: run.id } });
}

beforeAll(async () => {
  standIn = await startNextcloudStandIn({ port: 0, issuer: process.env.KEYCLOAK_ISSUER!, audience: "nextcloud" });
  process.env.NEXTCLOUD_URL = standIn.url;
  resetEnvForTests();
  m = {
    db: (await import("@/lib/db")).db,
    startAppPasswordFlow: (await import("@/lib/services/grants/start-app-password-flow")).startAppPasswordFlow,
    APP_PASSWORD_CLIENT_NAME: (await import("@/lib/services/grants/start-app-password-flow")).APP_PASSWORD_CLIENT_NAME,
    pollAppPasswordFlow: (await import("@/lib/services/grants/poll-app-password-flow")).pollAppPasswordFlow,
    openPendingLoginFlow: (await import("@/lib/services/grants/pending-login-flow-cookie")).openPendingLoginFlow,
    revokeGrant: (await import("@/lib/services/grants/revoke-grant")).revokeGrant,
    enableTask: (await import("@/lib/services/tasks/enable-task")).enableTask,
    runTask: (await import("@/lib/jobs/run-task")).runTask,
    checkGrants: (await import("../check-grants")).checkGrants,
    grantsDueForCheck: (await import("../check-grants")).grantsDueForCheck,
    nextcloudAppPasswordRequest: (await import("@/lib/nextcloud/app-password-request")).nextcloudAppPasswordRequest,
    asAppPassword: (await import("@/lib/nextcloud/app-password-types")).asAppPassword,
  };
});

afterAll(async () => {
  for (const sub of people) await deleteLocalPerson(sub);
  await standIn?.close();
});

describe("Login Flow v2 → app-password grant", () => {
  it("stores a sealed app-password grant once the person grants access as their own account, and tasks run with it", async () => {
    const ctx = await person();
    const { loginUrl, pending } = await start(ctx);
    expect(loginUrl.startsWith(`${standIn.url}/index.php/login/v2/flow/`)).toBe(true);
    expect(await m.pollAppPasswordFlow(ctx, pending)).toMatchObject({ state: "waiting", finished: false });

    await approveAs(loginUrl, ctx.username);
    const done = await m.pollAppPasswordFlow(ctx, pending);
    expect(done).toMatchObject({ state: "connected", loginName: ctx.username, finished: true });
    const [grant] = await appPasswordGrants(ctx.userSub);
    expect(grant).toMatchObject({ status: "active", mechanism: "app_password", nextcloudLoginName: ctx.username, scopes: [] });
    const [device] = standIn.devices(ctx.username);
    expect(device?.name).toBe(m.APP_PASSWORD_CLIENT_NAME);
    expect(grant!.refreshTokenEnc.length).toBeGreaterThan(72);

    const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
    const before = standIn.requests().length;
    const run = await runOnce(ctx.userSub, taskId);
    expect(run.status).toBe("succeeded");
    const sent = standIn.requests().slice(before);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((r) => r.uid === ctx.username && r.auth === "app-password")).toBe(true);
    const audited = await m.db().auditEvent.findMany({ where: { subject: ctx.userSub, action: "nextcloud.request", taskId } });
    expect(audited.length).toBe(sent.length);
    expect(new Set(audited.map((a) => a.mechanism))).toEqual(new Set(["app-password"]));
  });

  it("stores nothing and deletes the app password when the flow is approved by another Nextcloud account", async () => {
    const ctx = await person();
    const other = `other-${randomUUID().slice(0, 8)}`;
    const { loginUrl, pending } = await start(ctx);
    await approveAs(loginUrl, other);
    expect(standIn.devices(other)).toHaveLength(1);
    const done = await m.pollAppPasswordFlow(ctx, pending);
    expect(done).toMatchObject({ state: "failed", reason: "other_account", appPasswordDeleted: true });
    expect(await appPasswordGrants(ctx.userSub)).toEqual([]);
    expect(standIn.devices(other)).toEqual([]);
    const refused = standIn.requests().filter((r) => r.uid === other || (r.auth === "none" && r.path.includes("/ocs/")));
    expect(refused.some((r) => r.path.startsWith("/ocs/v2.php/core/apppassword") && r.status === 200)).toBe(true);
    expect(refused.some((r) => r.path.startsWith("/ocs/v2.php/cloud/user") && r.status === 401)).toBe(true);
  });

  it("stores nothing when nobody approves before the flow times out, and deletes an approval that comes too late", async () => {
    const ctx = await person();
    const { loginUrl, pending } = await start(ctx);
    const late = pending.startedAt + 21 * 60_000;
    expect(await m.pollAppPasswordFlow(ctx, pending, late)).toMatchObject({ state: "failed", reason: "timed_out", finished: true });

    await approveAs(loginUrl, ctx.username);
    expect(standIn.devices(ctx.username)).toHaveLength(1);
    expect(await m.pollAppPasswordFlow(ctx, pending, late)).toMatchObject({
      state: "failed",
      reason: "timed_out",
      appPasswordDeleted: true,
    });
    expect(standIn.devices(ctx.username)).toEqual([]);
    expect(await appPasswordGrants(ctx.userSub)).toEqual([]);
  });

  it("refuses a flow started by another person or sign-in", async () => {
    const ctx = await person();
    const { pending } = await start(ctx);
    expect(await m.pollAppPasswordFlow({ ...ctx, loginSessionId: "another-sign-in" }, pending)).toMatchObject({
      state: "failed",
      reason: "no_flow",
    });
    expect(await m.pollAppPasswordFlow(ctx, null)).toMatchObject({ state: "failed", reason: "no_flow" });
  });
});

describe("a Nextcloud whose poll answers garbage", () => {
  let fake: Server;
  let answer: { status: number; body: string };
  beforeAll(async () => {
    fake = createServer((req, res) => {
      if (req.url?.startsWith("/index.php/login/v2/poll")) {
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(answer.body);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    process.env.NEXTCLOUD_URL = standIn.url;
    resetEnvForTests();
    await new Promise((r) => fake.close(r));
  });

  it.each([
    ["not JSON", 200, "<html>surprise</html>", /not a Login Flow v2 answer \(wrong or missing: body\)/],
    ["JSON without the credentials", 200, JSON.stringify({ server: "x" }), /wrong or missing: loginName, appPassword/],
    ["an unexpected status", 500, "{}", /poll answered HTTP 500/],
  ])("names the problem (%s), never echoes the body, and stores nothing", async (_name, status, body, expected) => {
    const ctx = await person();
    process.env.NEXTCLOUD_URL = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    resetEnvForTests();
    answer = { status, body };
    const pending = {
      pollToken: "f".repeat(64),
      pollPath: "/index.php/login/v2/poll",
      loginUrl: "http://127.0.0.1/login",
      userSub: ctx.userSub,
      loginSessionId: ctx.loginSessionId,
      startedAt: Date.now(),
    };
    const done = await m.pollAppPasswordFlow(ctx, pending);
    expect(done).toMatchObject({ state: "failed", reason: "provider_error", finished: true });
    if (done.state === "failed") {
      expect(done.detail).toMatch(expected);
      expect(done.detail).not.toContain("surprise");
    }
    expect(await appPasswordGrants(ctx.userSub)).toEqual([]);
    process.env.NEXTCLOUD_URL = standIn.url;
    resetEnvForTests();
  });
});

describe("revocation and removal at Nextcloud", () => {
  it("revoke deletes the app password at Nextcloud and the receipt carries Nextcloud's 401 as proof", async () => {
    const ctx = await person();
    const grantId = await connect(ctx);
    const { taskId } = await m.enableTask(ctx, { type: "files-inventory" });
    const receipt = await m.revokeGrant(ctx, { grantId });
    expect(receipt).toMatchObject({ mechanism: "app_password", provider: "nextcloud", keycloak: "confirmed" });
    expect(receipt.proof).toMatch(
      /Nextcloud answered HTTP 401 to GET \/ocs\/v2\.php\/cloud\/user made with the deleted app password \(the delete itself answered HTTP 200\)/,
    );
    expect(receipt.consent.state).toBe("unknown");
    expect(standIn.devices(ctx.username)).toEqual([]);
    const grant = await m.db().grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(grant).toMatchObject({ status: "revoked", refreshTokenEnc: "" });
    expect(await m.db().task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: "revoked" });
    const last = standIn
      .requests()
      .filter((r) => r.path.startsWith("/ocs/v2.php/cloud/user"))
      .at(-1);
    expect(last?.status).toBe(401);
  });

  it("a device removed in Nextcloud's Devices & sessions stops the grant and its tasks at the next health check (due after 60 s)", async () => {
    const ctx = await person();
    const grantId = await connect(ctx);
    const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
    expect(await m.grantsDueForCheck(60_000, 10_000)).not.toContain(grantId);
    const [device] = standIn.devices(ctx.username);
    expect(standIn.removeDevice(device!.id)).toBe(true);

    // The worker's health loop re-checks every grant whose last check is GRANT_HEALTH_SECONDS (60) old:
    // move this grant's last check back past that instead of waiting a minute.
    await m.db().grant.update({ where: { id: grantId }, data: { lastRefreshAt: new Date(Date.now() - 61_000) } });
    const due = await m.grantsDueForCheck(60_000, 10_000);
    expect(due).toContain(grantId);
    const outcome = await m.checkGrants([grantId], randomUUID());
    expect(outcome).toEqual({ stillActive: 0, revoked: 1, unknown: 0 });

    const grant = await m.db().grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(grant.status).toBe("revoked_at_provider");
    expect(grant.revokeReason).toMatch(/Nextcloud no longer accepts this app password/);
    expect(grant.refreshTokenEnc).toBe("");
    const task = await m.db().task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ status: "revoked" });
    expect(task.stoppedReason).toMatch(/access revoked at Nextcloud: HTTP 401/);
    const before = standIn.requests().length;
    expect((await runOnce(ctx.userSub, taskId)).status).toBe("stopped");
    expect(standIn.requests().length).toBe(before);
  });

  it("a task run that meets the 401 itself stops the grant at once", async () => {
    const ctx = await person();
    const grantId = await connect(ctx);
    const { taskId } = await m.enableTask(ctx, { type: "notes-index" });
    standIn.removeDevice(standIn.devices(ctx.username)[0]!.id);
    const run = await runOnce(ctx.userSub, taskId);
    expect(run.status).toBe("stopped");
    expect((await m.db().grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("revoked_at_provider");
  });
});

describe("the app-password client's guard", () => {
  it("refuses, before sending, an app password that is not the person's own account", async () => {
    const ctx = await person();
    const before = standIn.requests().length;
    const recorded: { outcome: string; errorCode?: string | null; mechanism?: string | null }[] = [];
    await expect(
      m.nextcloudAppPasswordRequest(
        { loginName: "admin", appPassword: m.asAppPassword("x".repeat(72)) },
        { method: "GET", path: "/ocs/v2.php/cloud/user?format=json" },
        {
          recorder: async (e) => void recorded.push(e),
          correlationId: randomUUID(),
          subject: ctx.userSub,
          actor: "nextcloud-mcp-server",
          expectedLoginName: ctx.username,
        },
      ),
    ).rejects.toMatchObject({ code: "Forbidden" });
    await expect(
      m.nextcloudAppPasswordRequest(
        { loginName: "service-account-nextcloud-mcp-server", appPassword: m.asAppPassword("x".repeat(72)) },
        { method: "GET", path: "/ocs/v2.php/cloud/user?format=json" },
        {
          recorder: async (e) => void recorded.push(e),
          correlationId: randomUUID(),
          subject: ctx.userSub,
          actor: "nextcloud-mcp-server",
          expectedLoginName: "service-account-nextcloud-mcp-server",
        },
      ),
    ).rejects.toMatchObject({ code: "ServiceAccountRefused" });
    expect(standIn.requests().length).toBe(before);
    expect(recorded.map((r) => [r.outcome, r.errorCode, r.mechanism])).toEqual([
      ["refused", "not_own_account", "app-password"],
      ["refused", "service_account", "app-password"],
    ]);
  });

  it("a second app password cannot be connected while one is active", async () => {
    const ctx = await person();
    await connect(ctx);
    await expect(m.startAppPasswordFlow(ctx)).rejects.toMatchObject({ code: "Conflict" });
  });
});
