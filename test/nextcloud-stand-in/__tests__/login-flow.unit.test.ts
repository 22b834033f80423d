import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startNextcloudStandIn, type TNextcloudStandIn } from "../start-stand-in";
import { basic, bearer } from "./dav-client";
import { startLocalIssuer } from "./local-issuer";

let issuer: Awaited<ReturnType<typeof startLocalIssuer>>;
let standIn: TNextcloudStandIn;

const alice = { sub: "11111111-aaaa-4000-8000-000000000001", preferred_username: "alice", azp: "nextcloud-mcp-server" };

beforeAll(async () => {
  issuer = await startLocalIssuer();
  standIn = await startNextcloudStandIn({ port: 0, issuer: issuer.issuer, audience: "nextcloud", impersonateApp: true });
});
afterAll(async () => {
  await standIn?.close();
  await issuer?.close();
});
beforeEach(() => {
  standIn.reset();
  standIn.setLoginFlowTtlMs(20 * 60_000);
});

type TStart = { poll: { token: string; endpoint: string }; login: string };

async function startFlow(userAgent = "Delegation dashboard (test)"): Promise<TStart> {
  const res = await fetch(`${standIn.url}/index.php/login/v2`, { method: "POST", headers: { "user-agent": userAgent } });
  expect(res.status).toBe(200);
  return (await res.json()) as TStart;
}

function poll(start: TStart) {
  return fetch(start.poll.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: start.poll.token }),
  });
}

async function approve(start: TStart, uid: string) {
  return fetch(start.login, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user: uid }),
  });
}

async function connect(uid: string): Promise<{ loginName: string; appPassword: string }> {
  const start = await startFlow();
  await approve(start, uid);
  return (await (await poll(start)).json()) as { loginName: string; appPassword: string };
}

describe("Login Flow v2 (stand-in copy of Nextcloud's)", () => {
  it("answers the poll with 404 until the person grants access, then with the credentials exactly once", async () => {
    const start = await startFlow();
    expect(start.poll.endpoint).toBe(`${standIn.url}/index.php/login/v2/poll`);
    expect(start.login.startsWith(`${standIn.url}/index.php/login/v2/flow/`)).toBe(true);
    expect((await poll(start)).status).toBe(404);

    const page = await fetch(start.login);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("not a real Nextcloud");
    expect(html).toContain("Delegation dashboard (test)");
    expect(html).toContain("Grant access");

    expect((await approve(start, "alice")).status).toBe(200);
    const done = await poll(start);
    expect(done.status).toBe(200);
    const body = (await done.json()) as { server: string; loginName: string; appPassword: string };
    expect(body.server).toBe(standIn.url);
    expect(body.loginName).toBe("alice");
    expect(body.appPassword).toMatch(/^[A-Za-z0-9]{72}$/);
    expect((await poll(start)).status).toBe(404);
    expect(standIn.devices("alice")).toEqual([expect.objectContaining({ name: "Delegation dashboard (test)", loginName: "alice" })]);
  });

  it("forgets a flow nobody approved in time", async () => {
    const start = await startFlow();
    standIn.setLoginFlowTtlMs(0);
    await new Promise((r) => setTimeout(r, 5));
    expect((await fetch(start.login)).status).toBe(404);
    expect((await approve(start, "alice")).status).toBe(404);
    expect((await poll(start)).status).toBe(404);
    expect(standIn.devices()).toEqual([]);
  });
});

describe("app passwords and bearer tokens per API", () => {
  const apis = [
    ["WebDAV files", "PROPFIND", "/remote.php/dav/files/alice/", 207],
    ["OCS user", "GET", "/ocs/v2.php/cloud/user?format=json", 200],
    ["CalDAV", "PROPFIND", "/remote.php/dav/calendars/alice/", 207],
    ["CardDAV", "PROPFIND", "/remote.php/dav/addressbooks/users/alice/", 207],
    ["Notes API", "GET", "/index.php/apps/notes/api/v1/notes", 200],
  ] as const;

  it.each(apis)("an app password is accepted on %s", async (_name, method, path, expected) => {
    const { loginName, appPassword } = await connect("alice");
    const res = await fetch(`${standIn.url}${path}`, {
      method,
      headers: { ...basic(loginName, appPassword), depth: "0", "ocs-apirequest": "true" },
    });
    expect(res.status).toBe(expected);
    expect(standIn.requests().at(-1)).toMatchObject({ uid: "alice", auth: "app-password" });
  });

  it.each(apis)(
    "a user_oidc bearer token on %s answers like the real server (OCS and WebDAV only)",
    async (_name, method, path, withApp) => {
      const res = await fetch(`${standIn.url}${path}`, {
        method,
        headers: { ...bearer(await issuer.sign(alice)), depth: "0", "ocs-apirequest": "true" },
      });
      const bearerWorks = path.startsWith("/ocs/") || path.startsWith("/remote.php/dav/files/");
      expect(res.status).toBe(bearerWorks ? withApp : 401);
    },
  );

  it("deleting the app password makes it answer 401 from then on", async () => {
    const { loginName, appPassword } = await connect("alice");
    const auth = { ...basic(loginName, appPassword), "ocs-apirequest": "true" };
    const del = await fetch(`${standIn.url}/ocs/v2.php/core/apppassword?format=json`, { method: "DELETE", headers: auth });
    expect(del.status).toBe(200);
    expect((await fetch(`${standIn.url}/ocs/v2.php/cloud/user?format=json`, { headers: auth })).status).toBe(401);
    expect(standIn.devices("alice")).toEqual([]);
  });

  it("removing the device in Devices & sessions makes the app password answer 401", async () => {
    const { loginName, appPassword } = await connect("alice");
    const page = await (await fetch(`${standIn.url}/index.php/settings/user/security?user=alice`)).text();
    const id = /data-device-id="([^"]+)"/.exec(page)?.[1];
    expect(id).toBe(standIn.devices("alice")[0]?.id);
    const removed = await fetch(`${standIn.url}/index.php/settings/user/security/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "alice", id: id! }),
      redirect: "manual",
    });
    expect(removed.status).toBe(303);
    expect(
      (
        await fetch(`${standIn.url}/remote.php/dav/files/alice/`, {
          method: "PROPFIND",
          headers: { ...basic(loginName, appPassword), depth: "0" },
        })
      ).status,
    ).toBe(401);
  });

  it("refuses the app-password delete for a credential that is not an app password", async () => {
    const res = await fetch(`${standIn.url}/ocs/v2.php/core/apppassword?format=json`, {
      method: "DELETE",
      headers: { ...bearer(await issuer.sign(alice)), "ocs-apirequest": "true" },
    });
    expect(res.status).toBe(403);
  });
});

describe("apps the tier page asks about", () => {
  it("serves the OIDC provider app's discovery without refresh_token or token exchange", async () => {
    const doc = (await (await fetch(`${standIn.url}/index.php/.well-known/openid-configuration`)).json()) as {
      grant_types_supported: string[];
    };
    expect(doc.grant_types_supported).toEqual(["authorization_code", "implicit"]);
  });

  it("answers the Impersonate app's route with a CSRF refusal when it is installed", async () => {
    expect((await fetch(`${standIn.url}/index.php/apps/impersonate/user`, { method: "POST" })).status).toBe(412);
  });
});
