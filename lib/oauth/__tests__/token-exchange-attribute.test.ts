/**
 * Which client attribute turns Keycloak's Standard Token Exchange (V2) on? The seed note says
 * `client.token.exchange.standard.enabled`; the realm export uses `standard.token.exchange.enabled`.
 * This proves it against the running Keycloak 26.7. The worker client is shared with other engineers'
 * runs, so every change is undone in `finally` and each off-window lasts one exchange call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { obtainOfflineConsentOverHttp } from "@/test/keycloak/consent-over-http";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";
import { createMemoryRecorder } from "@/test/keycloak/grant-fixture";
import { getClientByClientId, withClientAttributes } from "@/test/keycloak/admin-api";
import { refreshOfflineToken } from "@/lib/oauth/refresh-offline-token";
import { exchangeToken } from "@/lib/oauth/exchange-token";
import { revokeToken } from "@/lib/oauth/revoke-token";
import type { TUserAccessToken } from "@/lib/oauth/token-types";

const WORKER = "nextcloud-mcp-server";
const REAL = "standard.token.exchange.enabled";
const SEED = "client.token.exchange.standard.enabled";
const ctx = { recorder: createMemoryRecorder(), correlationId: "exchange-attribute-test" };
// This file's own person (created in the shared realm, deleted afterwards) holds the subject token.
let person: TPerson;
let offline: string;
let subject: TUserAccessToken;

const tryExchange = () =>
  exchangeToken({ subjectToken: subject, audience: "nextcloud", scope: ["notes.read"] }, ctx).then(
    () => "exchanged",
    (e: { error?: string; errorDescription?: string }) => `${e.error}: ${e.errorDescription}`,
  );

beforeAll(async () => {
  person = await createPerson("exchange-attribute");
  offline = (await obtainOfflineConsentOverHttp(person, ["notes.read"])).offlineToken;
  const refreshed = await refreshOfflineToken(offline, ctx);
  offline = refreshed.refreshToken;
  subject = refreshed.accessToken;
});

afterAll(async () => {
  if (offline) await revokeToken(offline, "refresh_token", ctx).catch(() => undefined);
  if (person) await deletePerson(person);
});

describe("the client attribute that enables Standard Token Exchange", () => {
  it("the realm export sets only standard.token.exchange.enabled on the worker, and Keycloak has it", async () => {
    const realm = JSON.parse(readFileSync("keycloak/realm-export.json", "utf8")) as {
      clients: { clientId: string; attributes?: Record<string, string> }[];
    };
    const attrs = realm.clients.find((c) => c.clientId === WORKER)!.attributes!;
    expect(attrs[REAL]).toBe("true");
    expect(attrs[SEED]).toBeUndefined();
    const live = (await getClientByClientId(WORKER)).attributes ?? {};
    expect(live[REAL]).toBe("true");
    expect(live[SEED]).toBeUndefined();
  });

  it("exchange works with standard.token.exchange.enabled=true", async () => {
    expect(await tryExchange()).toBe("exchanged");
  });

  it("standard.token.exchange.enabled=false turns it off, with Keycloak's own error", async () => {
    const result = await withClientAttributes(WORKER, { [REAL]: "false" }, tryExchange);
    expect(result).toBe("invalid_request: Standard token exchange is not enabled for the requested client");
    expect(await tryExchange()).toBe("exchanged");
  });

  it("removing the attribute turns it off too (Keycloak's default is off)", async () => {
    const result = await withClientAttributes(WORKER, { [REAL]: null }, tryExchange);
    expect(result).toBe("invalid_request: Standard token exchange is not enabled for the requested client");
  });

  it("the seed's client.token.exchange.standard.enabled=true alone does not turn it on", async () => {
    const result = await withClientAttributes(WORKER, { [REAL]: null, [SEED]: "true" }, tryExchange);
    expect(result).toBe("invalid_request: Standard token exchange is not enabled for the requested client");
  });

  it("every change was undone", async () => {
    const live = (await getClientByClientId(WORKER)).attributes ?? {};
    expect(live[REAL]).toBe("true");
    expect(live[SEED]).toBeUndefined();
    expect(await tryExchange()).toBe("exchanged");
  });
});
