import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { nextcloudRequest } from "@/lib/oauth/nextcloud-client";
import { getServiceAccountToken } from "@/lib/oauth/get-service-account-token";
import { getDelegatedToken } from "@/lib/grants/get-delegated-token";
import { revokeToken } from "@/lib/oauth/revoke-token";
import type { TUserAccessToken } from "@/lib/oauth/token-types";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createGrantOverHttp, createMemoryRecorder, currentOfflineToken } from "@/test/keycloak/grant-fixture";

// A stand-in for Nextcloud that only counts what reaches it.
const seen: { method: string; url: string; auth: string | undefined }[] = [];
let server: Server;
let grantId: string;
// This file's own person (created in the shared realm, deleted afterwards) owns the grant.
let person: TPerson;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" }).end('{"ocs":{"data":{}}}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  // env() is parsed lazily on first use, and nothing in this file has used it yet.
  process.env.NEXTCLOUD_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nc`;
  person = await createPerson("nc-client");
  grantId = (await createGrantOverHttp(person, ["notes.read"])).grantId;
});

afterAll(async () => {
  if (grantId) {
    await revokeToken(await currentOfflineToken(grantId), "refresh_token", {
      recorder: createMemoryRecorder(),
      correlationId: "cleanup",
    }).catch(() => undefined);
  }
  if (person) await deletePerson(person);
  await new Promise((r) => server.close(r));
});

describe("nextcloudRequest, the only way a bearer reaches Nextcloud", () => {
  it("refuses a client_credentials token before any request is sent, and audits the refusal", async () => {
    const recorder = createMemoryRecorder();
    const sa = await getServiceAccountToken(
      { clientId: "legacy-service-account", clientSecret: "service-account-local-dev-secret" },
      { recorder, correlationId: "sa" },
    );
    const before = seen.length;
    // The compiler already forbids this (see token-types.test.ts); the cast simulates a bypass.
    const err = await nextcloudRequest(
      sa as unknown as TUserAccessToken,
      { method: "GET", path: "/ocs/v2.php/cloud/user" },
      { recorder, correlationId: "sa" },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ServiceAccountRefused" });
    expect(seen.length - before).toBe(0);
    expect(recorder.events.at(-1)).toMatchObject({
      action: "service_account.refused",
      outcome: "refused",
      actor: "legacy-service-account",
      errorCode: "service_account",
      resource: "GET /ocs/v2.php/cloud/user",
      correlationId: "sa",
    });
  });

  it("refuses tokens flagged by client id, without a subject, not for Nextcloud, or not a JWT — zero requests", async () => {
    const recorder = createMemoryRecorder();
    const ctx = { recorder, correlationId: "guard" };
    const user = await getDelegatedToken({ grantId, recorder, correlationId: "guard" });
    const fake = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig` as TUserAccessToken;
    const before = seen.length;
    await expect(
      nextcloudRequest(user.token, { method: "GET", path: "/x" }, { ...ctx, serviceAccountClientIds: ["nextcloud-mcp-server"] }),
    ).rejects.toMatchObject({ code: "ServiceAccountRefused" });
    await expect(nextcloudRequest(fake({ aud: "nextcloud", azp: "x" }), { method: "GET", path: "/x" }, ctx)).rejects.toMatchObject({
      code: "ServiceAccountRefused",
      details: { reason: "no_user_subject" },
    });
    await expect(
      nextcloudRequest(fake({ aud: "nextcloud", sub: "u", client_id: "legacy" }), { method: "GET", path: "/x" }, ctx),
    ).rejects.toMatchObject({ code: "ServiceAccountRefused" });
    await expect(nextcloudRequest(fake({ aud: "account", sub: "u" }), { method: "GET", path: "/x" }, ctx)).rejects.toMatchObject({
      code: "Forbidden",
      details: { reason: "audience_mismatch" },
    });
    await expect(nextcloudRequest("opaque" as TUserAccessToken, { method: "GET", path: "/x" }, ctx)).rejects.toMatchObject({
      code: "Forbidden",
    });
    await expect(nextcloudRequest(user.token, { method: "GET", path: "//evil.example/x" }, ctx)).rejects.toMatchObject({
      code: "BadInput",
    });
    expect(seen.length - before).toBe(0);
    expect(recorder.count("service_account.refused", "refused")).toBe(3);
    expect(recorder.count("nextcloud.request", "refused")).toBe(2);
  });

  it("sends a user's delegated token and audits method, path, status, subject and actor", async () => {
    const recorder = createMemoryRecorder();
    const { token } = await getDelegatedToken({ grantId, recorder, correlationId: "ok" });
    const res = await nextcloudRequest(
      token,
      { method: "GET", path: "/ocs/v2.php/cloud/user?format=json", headers: { "ocs-apirequest": "true" } },
      { recorder, correlationId: "ok", taskId: null },
    );
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toEqual({ method: "GET", url: "/nc/ocs/v2.php/cloud/user?format=json", auth: `Bearer ${token}` });
    expect(recorder.events.at(-1)).toMatchObject({
      actor: "nextcloud-mcp-server",
      subject: person.sub,
      action: "nextcloud.request",
      resource: "GET /ocs/v2.php/cloud/user?format=json",
      outcome: "success",
      correlationId: "ok",
      details: { status: 200 },
    });
    expect(JSON.stringify(recorder.events)).not.toContain("eyJ");
  });

  it("an exchanged token (aud = nextcloud only) is accepted too", async () => {
    const recorder = createMemoryRecorder();
    const { token } = await getDelegatedToken({ grantId, recorder, correlationId: "ok2", exchange: true });
    const res = await nextcloudRequest(
      token,
      { method: "PROPFIND", path: `/remote.php/dav/files/${person.username}/` },
      { recorder, correlationId: "ok2", mechanism: "token-exchange" },
    );
    expect(res.status).toBe(200);
    expect(recorder.events.at(-1)).toMatchObject({ action: "nextcloud.request", mechanism: "token-exchange", outcome: "success" });
  });
});
