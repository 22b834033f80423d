import { afterEach, describe, expect, it } from "vitest";
import { startNextcloudStandIn, type TNextcloudStandIn } from "../start-stand-in";
import { bearer } from "./dav-client";

const issuer = process.env.KEYCLOAK_ISSUER ?? "http://localhost:8180/realms/nextcloud-mcp";
const standIns: TNextcloudStandIn[] = [];

afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

/** A client_credentials token from the realm's legacy client (its notes.read scope puts `nextcloud` in aud). */
async function legacyServiceAccountToken(): Promise<string> {
  const res = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: "legacy-service-account",
      client_secret: "service-account-local-dev-secret",
    }),
  });
  expect(res.status, "Keycloak must be running at KEYCLOAK_ISSUER for this integration test").toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function start(audience: string): Promise<TNextcloudStandIn> {
  const standIn = await startNextcloudStandIn({ port: 0, issuer, audience });
  standIns.push(standIn);
  return standIn;
}

describe("Nextcloud stand-in against the real Keycloak", () => {
  it("reproduces user_oidc's danger: a Keycloak client_credentials token provisions a service-account-* Nextcloud user (what the product's guard must prevent)", async () => {
    const standIn = await start("nextcloud");
    const token = await legacyServiceAccountToken();

    const res = await fetch(`${standIn.url}/remote.php/dav/files/service-account-legacy-service-account/Notes/`, {
      method: "PROPFIND",
      headers: { ...bearer(token), Depth: "1" },
    });
    expect(res.status).toBe(207);

    const ocs = await fetch(`${standIn.url}/ocs/v2.php/cloud/user?format=json`, {
      headers: { ...bearer(token), "OCS-APIRequest": "true" },
    });
    expect(((await ocs.json()) as { ocs: { data: { id: string } } }).ocs.data.id).toBe("service-account-legacy-service-account");

    expect(standIn.provisioned()).toEqual([
      expect.objectContaining({
        uid: "service-account-legacy-service-account",
        preferredUsername: "service-account-legacy-service-account",
        azp: "legacy-service-account",
      }),
    ]);
    expect(standIn.requests().map((r) => [r.method, r.azp, r.status])).toEqual([
      ["PROPFIND", "legacy-service-account", 207],
      ["GET", "legacy-service-account", 200],
    ]);
  });

  it("verifies against Keycloak's real JWKS: the same token is refused when the audience does not match", async () => {
    const standIn = await start("some-other-service");
    const res = await fetch(`${standIn.url}/remote.php/dav/files/service-account-legacy-service-account/`, {
      method: "PROPFIND",
      headers: { ...bearer(await legacyServiceAccountToken()), Depth: "0" },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("aud");
    expect(standIn.provisioned()).toEqual([]);
  });

  it("refuses a Keycloak token whose signature was tampered with", async () => {
    const standIn = await start("nextcloud");
    const [header, payload, signature] = (await legacyServiceAccountToken()).split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, preferred_username: "alice" })).toString("base64url")}.${signature}`;
    const res = await fetch(`${standIn.url}/remote.php/dav/files/alice/`, {
      method: "PROPFIND",
      headers: { ...bearer(forged), Depth: "0" },
    });
    expect(res.status).toBe(401);
    expect(standIn.provisioned()).toEqual([]);
  });
});
