import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SEED_DIR, startNextcloudStandIn, type TNextcloudStandIn } from "../start-stand-in";
import { basic, bearer, parseMultistatus } from "./dav-client";
import { startLocalIssuer } from "./local-issuer";

let issuer: Awaited<ReturnType<typeof startLocalIssuer>>;
let standIn: TNextcloudStandIn;

const alice = {
  sub: "11111111-aaaa-4000-8000-000000000001",
  preferred_username: "alice",
  azp: "nextcloud-mcp-server",
  name: "Alice Liddell",
  email: "alice@example.test",
};
const bob = { sub: "22222222-bbbb-4000-8000-000000000002", preferred_username: "bob", azp: "nextcloud-mcp-server" };

beforeAll(async () => {
  issuer = await startLocalIssuer();
  standIn = await startNextcloudStandIn({
    port: 0,
    issuer: issuer.issuer,
    audience: "nextcloud",
    adminUser: "admin",
    adminPassword: "admin-pass",
  });
});
afterAll(async () => {
  await standIn?.close();
  await issuer?.close();
});
beforeEach(() => standIn.reset());

function dav(method: string, pathname: string, headers: Record<string, string>, body?: string) {
  return fetch(`${standIn.url}${pathname}`, { method, headers, body });
}

describe("bearer validation (user_oidc with bearer validation on)", () => {
  it("accepts a token signed by the issuer's JWKS with the configured audience", async () => {
    const res = await dav("PROPFIND", "/remote.php/dav/files/alice/", { ...bearer(await issuer.sign(alice)), Depth: "0" });
    expect(res.status).toBe(207);
  });

  it.each([
    ["wrong audience", () => issuer.sign(alice, { audience: ["account"] }), /aud/],
    ["wrong issuer", () => issuer.sign(alice, { issuer: "http://127.0.0.1:1/realms/other" }), /iss/],
    ["expired token", () => issuer.sign(alice, { expiresAt: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ["bad signature", () => issuer.sign(alice, { foreignKey: true }), /signature/],
    ["not a JWT", async () => "not-a-jwt", /.+/],
  ])("rejects a %s with 401, a WWW-Authenticate challenge and a Sabre error body", async (_name, makeToken, reason) => {
    const res = await dav("PROPFIND", "/remote.php/dav/files/alice/", { ...bearer(await makeToken()), Depth: "0" });
    expect(res.status).toBe(401);
    const challenge = res.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer realm="Nextcloud stand-in", error="invalid_token"/);
    expect(challenge).toMatch(reason);
    expect(await res.text()).toContain("Sabre\\DAV\\Exception\\NotAuthenticated");
    expect(standIn.provisioned()).toEqual([]);
  });

  it("rejects a request without credentials", async () => {
    const res = await dav("PROPFIND", "/remote.php/dav/files/alice/", { Depth: "0" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('Basic realm="Nextcloud"');
  });
});

describe("bearer provisioning (user_oidc with bearer provisioning on)", () => {
  it("provisions an unknown subject once, recording sub, preferred_username and azp", async () => {
    const token = await issuer.sign(alice);
    for (let i = 0; i < 3; i++) {
      expect((await dav("PROPFIND", "/remote.php/dav/files/alice/", { ...bearer(token), Depth: "0" })).status).toBe(207);
    }
    const provisioned = standIn.provisioned();
    expect(provisioned).toHaveLength(1);
    expect(provisioned[0]).toMatchObject({ uid: "alice", sub: alice.sub, preferredUsername: "alice", azp: "nextcloud-mcp-server" });
    expect(Date.parse(provisioned[0]!.provisionedAt)).not.toBeNaN();
  });

  it("falls back to sub as the user id when preferred_username is absent", async () => {
    const sub = "33333333-cccc-4000-8000-000000000003";
    const res = await fetch(`${standIn.url}/ocs/v2.php/cloud/user?format=json`, {
      headers: { ...bearer(await issuer.sign({ sub })), "OCS-APIRequest": "true" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ocs: { data: { id: string } } }).ocs.data.id).toBe(sub);
    expect(standIn.provisioned().map((p) => p.uid)).toEqual([sub]);
  });

  it("provisions service-account-* subjects too, exactly like the real app (nothing is filtered)", async () => {
    const token = await issuer.sign({
      sub: "44444444-dddd-4000-8000-000000000004",
      preferred_username: "service-account-some-client",
      azp: "some-client",
    });
    expect((await dav("PROPFIND", "/remote.php/dav/files/service-account-some-client/", { ...bearer(token), Depth: "0" })).status).toBe(
      207,
    );
    expect(standIn.provisioned()).toEqual([expect.objectContaining({ uid: "service-account-some-client", azp: "some-client" })]);
  });
});

describe("WebDAV over the seeded trees (webdav-server behind the token check)", () => {
  const seededNotes = (uid: string) =>
    readdirSync(path.join(DEFAULT_SEED_DIR, uid, "Notes"), { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => ({ name: e.name, size: statSync(path.join(DEFAULT_SEED_DIR, uid, "Notes", e.name)).size }));

  it("PROPFIND Depth 1 on Notes/ lists the seeded notes with their sizes and distinct etags", async () => {
    const res = await dav("PROPFIND", "/remote.php/dav/files/alice/Notes/", { ...bearer(await issuer.sign(alice)), Depth: "1" });
    expect(res.status).toBe(207);
    const entries = parseMultistatus(await res.text());
    const files = entries.filter((e) => !e.isCollection);
    const expected = seededNotes("alice");
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(
      files
        .map((f) => ({ name: f.href.replace("/remote.php/dav/files/alice/Notes/", ""), size: f.size }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
    expect(entries.filter((e) => e.isCollection).map((e) => e.href)).toEqual([
      "/remote.php/dav/files/alice/Notes/",
      "/remote.php/dav/files/alice/Notes/Recipes/",
    ]);
    const etags = files.map((f) => f.etag);
    expect(etags.every((e) => /^"[0-9a-f]{32}"$/.test(e ?? ""))).toBe(true);
    expect(new Set(etags).size).toBe(etags.length);
  });

  it("PROPFIND Depth 0 describes only the folder itself", async () => {
    const res = await dav("PROPFIND", "/remote.php/dav/files/alice/Notes/", { ...bearer(await issuer.sign(alice)), Depth: "0" });
    expect(parseMultistatus(await res.text()).map((e) => e.href)).toEqual(["/remote.php/dav/files/alice/Notes/"]);
  });

  it("GET returns the note's content (alice's quokka note)", async () => {
    const res = await dav("GET", "/remote.php/dav/files/alice/Notes/Trip%20to%20Australia.md", bearer(await issuer.sign(alice)));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toBe(readFileSync(path.join(DEFAULT_SEED_DIR, "alice/Notes/Trip to Australia.md"), "utf8"));
    expect(body).toContain("quokka");
  });

  it("seeds bob from his own folder: different notes, no quokka", async () => {
    const token = await issuer.sign(bob);
    const listing = parseMultistatus(
      await (await dav("PROPFIND", "/remote.php/dav/files/bob/Notes/", { ...bearer(token), Depth: "1" })).text(),
    );
    const names = listing
      .filter((e) => !e.isCollection)
      .map((e) => path.basename(e.href))
      .sort();
    expect(names).toEqual(
      seededNotes("bob")
        .map((n) => n.name)
        .sort(),
    );
    for (const name of names) {
      const text = await (await dav("GET", `/remote.php/dav/files/bob/Notes/${encodeURIComponent(name)}`, bearer(token))).text();
      expect(text).not.toMatch(/quokka/i);
    }
    expect((await dav("GET", "/remote.php/dav/files/bob/Notes/Trip%20to%20Australia.md", bearer(token))).status).toBe(404);
  });

  it("seeds a user without a seed folder from the default seed", async () => {
    const token = await issuer.sign({ sub: "55555555-eeee-4000-8000-000000000005", preferred_username: "carol" });
    const listing = parseMultistatus(
      await (await dav("PROPFIND", "/remote.php/dav/files/carol/Notes/", { ...bearer(token), Depth: "1" })).text(),
    );
    expect(listing.map((e) => path.basename(e.href))).toContain("Welcome.md");
  });

  it("answers 403 when a user asks for another user's files, and serves nothing from them", async () => {
    const token = await issuer.sign(bob);
    for (const method of ["PROPFIND", "GET"]) {
      const res = await dav(method, "/remote.php/dav/files/alice/Notes/Trip%20to%20Australia.md", { ...bearer(token), Depth: "0" });
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).toContain("Sabre\\DAV\\Exception\\Forbidden");
      expect(body).not.toContain("quokka");
    }
  });

  it("keeps each user's tree private: a PUT by alice changes her folder etag, not bob's tree", async () => {
    const aliceToken = await issuer.sign(alice);
    const etagOf = async (token: string, p: string) =>
      parseMultistatus(await (await dav("PROPFIND", p, { ...bearer(token), Depth: "0" })).text())[0]?.etag;
    const before = await etagOf(aliceToken, "/remote.php/dav/files/alice/Notes/");
    expect((await dav("PUT", "/remote.php/dav/files/alice/Notes/New.md", bearer(aliceToken), "# New\nwombat\n")).status).toBe(201);
    expect(await etagOf(aliceToken, "/remote.php/dav/files/alice/Notes/")).not.toBe(before);
    expect(await (await dav("GET", "/remote.php/dav/files/alice/Notes/New.md", bearer(aliceToken))).text()).toContain("wombat");
    expect((await dav("GET", "/remote.php/dav/files/bob/Notes/New.md", bearer(await issuer.sign(bob)))).status).toBe(404);
  });

  it("serves the legacy /remote.php/webdav/ path as the caller's own tree", async () => {
    const res = await dav("GET", "/remote.php/webdav/Notes/Groceries.txt", bearer(await issuer.sign(alice)));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("oat milk");
  });
});

describe("OCS user endpoint", () => {
  it("returns the current user in Nextcloud's OCS v2 JSON shape", async () => {
    const res = await fetch(`${standIn.url}/ocs/v2.php/cloud/user?format=json`, {
      headers: { ...bearer(await issuer.sign(alice)), "OCS-APIRequest": "true" },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ocs: { meta: Record<string, unknown>; data: Record<string, unknown> } };
    expect(body.ocs.meta).toMatchObject({ status: "ok", statuscode: 200 });
    expect(body.ocs.data).toMatchObject({ id: "alice", displayname: "Alice Liddell", email: "alice@example.test" });
  });

  it("uses status code 100 on v1 and answers XML without format=json", async () => {
    const token = await issuer.sign(bob);
    const v1 = (await (await fetch(`${standIn.url}/ocs/v1.php/cloud/user?format=json`, { headers: bearer(token) })).json()) as {
      ocs: { meta: { statuscode: number } };
    };
    expect(v1.ocs.meta.statuscode).toBe(100);
    const xml = await (await fetch(`${standIn.url}/ocs/v2.php/cloud/user`, { headers: bearer(token) })).text();
    expect(xml).toContain("<id>bob</id>");
  });

  it("answers 401 with OCS status 997 for an invalid token", async () => {
    const res = await fetch(`${standIn.url}/ocs/v2.php/cloud/user?format=json`, {
      headers: bearer(await issuer.sign(alice, { audience: "account" })),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("invalid_token");
    expect(((await res.json()) as { ocs: { meta: { statuscode: number } } }).ocs.meta.statuscode).toBe(997);
  });
});

describe("HTTP Basic for the configured admin (Tier 0)", () => {
  it("lets the admin reach their own files and OCS record, without provisioning anyone", async () => {
    expect((await dav("PROPFIND", "/remote.php/dav/files/admin/", { ...basic("admin", "admin-pass"), Depth: "0" })).status).toBe(207);
    const ocs = (await (
      await fetch(`${standIn.url}/ocs/v2.php/cloud/user?format=json`, { headers: basic("admin", "admin-pass") })
    ).json()) as { ocs: { data: { id: string; backend: string } } };
    expect(ocs.ocs.data).toMatchObject({ id: "admin", backend: "Database" });
    expect(standIn.provisioned()).toEqual([]);
    expect(standIn.requests().map((r) => r.auth)).toEqual(["basic", "basic"]);
  });

  it("rejects a wrong password and Basic for any other user", async () => {
    expect((await dav("PROPFIND", "/remote.php/dav/files/admin/", { ...basic("admin", "nope"), Depth: "0" })).status).toBe(401);
    expect((await dav("PROPFIND", "/remote.php/dav/files/alice/", { ...basic("alice", "admin-pass"), Depth: "0" })).status).toBe(401);
  });

  it("does not let the admin read another user's files over WebDAV", async () => {
    expect((await dav("GET", "/remote.php/dav/files/alice/Notes/Groceries.txt", basic("admin", "admin-pass"))).status).toBe(403);
  });
});

describe("observability for tests", () => {
  it("logs every Nextcloud-facing request with uid, sub, azp and status, including rejected ones", async () => {
    await dav("PROPFIND", "/remote.php/dav/files/alice/Notes/", { ...bearer(await issuer.sign(alice)), Depth: "1" });
    await dav("GET", "/remote.php/dav/files/alice/Notes/Groceries.txt", bearer(await issuer.sign(alice, { audience: "account" })));
    await fetch(`${standIn.url}/__stand-in/requests`);
    expect(standIn.requests()).toEqual([
      expect.objectContaining({
        method: "PROPFIND",
        path: "/remote.php/dav/files/alice/Notes/",
        uid: "alice",
        sub: alice.sub,
        azp: "nextcloud-mcp-server",
        auth: "bearer",
        status: 207,
      }),
      expect.objectContaining({
        method: "GET",
        path: "/remote.php/dav/files/alice/Notes/Groceries.txt",
        uid: null,
        sub: null,
        status: 401,
      }),
    ]);
  });

  it("exposes the log and the provisioned users on /__stand-in/ and resets them", async () => {
    await dav("PROPFIND", "/remote.php/dav/files/alice/", { ...bearer(await issuer.sign(alice)), Depth: "0" });
    await dav("PROPFIND", "/remote.php/dav/files/bob/", { ...bearer(await issuer.sign(bob)), Depth: "0" });

    const forAlice = (await (await fetch(`${standIn.url}/__stand-in/requests?uid=alice`)).json()) as { requests: { uid: string }[] };
    expect(forAlice.requests.map((r) => r.uid)).toEqual(["alice"]);
    const provisioned = (await (await fetch(`${standIn.url}/__stand-in/provisioned`)).json()) as { users: { uid: string }[] };
    expect(provisioned.users.map((u) => u.uid)).toEqual(["alice", "bob"]);

    expect((await fetch(`${standIn.url}/__stand-in/reset`, { method: "POST" })).status).toBe(200);
    expect(standIn.requests()).toEqual([]);
    expect(standIn.provisioned()).toEqual([]);
  });

  it("gives a cursor: after=<next> returns only the requests that arrived since", async () => {
    await dav("PROPFIND", "/remote.php/dav/files/alice/", { ...bearer(await issuer.sign(alice)), Depth: "0" });
    const first = (await (await fetch(`${standIn.url}/__stand-in/requests`)).json()) as { requests: unknown[]; next: number };
    expect(first.next).toBe(first.requests.length);
    const none = (await (await fetch(`${standIn.url}/__stand-in/requests?after=${first.next}`)).json()) as {
      requests: unknown[];
      next: number;
    };
    expect(none).toEqual({ requests: [], next: first.next });
    await dav("GET", "/remote.php/dav/files/alice/Notes/Groceries.txt", bearer(await issuer.sign(alice)));
    const later = (await (await fetch(`${standIn.url}/__stand-in/requests?after=${first.next}`)).json()) as {
      requests: { method: string; path: string }[];
      next: number;
    };
    expect(later.requests).toEqual([expect.objectContaining({ method: "GET", path: "/remote.php/dav/files/alice/Notes/Groceries.txt" })]);
    expect(later.next).toBe(first.next + 1);
  });

  it("delays WebDAV requests by the latency set on /__stand-in/latency", async () => {
    const set = await fetch(`${standIn.url}/__stand-in/latency`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ms: 400 }),
    });
    expect(set.status).toBe(200);
    const token = await issuer.sign(alice);
    const started = Date.now();
    const pending = dav("GET", "/remote.php/dav/files/alice/Notes/Groceries.txt", bearer(token));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(standIn.requests()).toEqual([expect.objectContaining({ uid: "alice", status: null })]);
    expect((await pending).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(standIn.requests()[0]?.status).toBe(200);

    expect((await fetch(`${standIn.url}/__stand-in/latency`, { method: "POST", body: '{"ms":-1}' })).status).toBe(400);
  });
});
