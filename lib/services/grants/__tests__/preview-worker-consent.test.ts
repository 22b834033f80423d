import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildConsentRequest } from "@/lib/oauth/build-consent-request";
import { previewWorkerConsent } from "@/lib/services/grants/preview-worker-consent";
import { SCOPE_CATALOG } from "@/lib/tasks/task-catalog";
import { readConsentScreenOverHttp, WORKER_REDIRECT_URI } from "@/test/keycloak/consent-over-http";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";

// The /grants/new preview must list exactly what Keycloak's consent screen will: read here from the real
// Keycloak, for the very authorization request the dashboard builds (prompt=consent), as a person who has
// never consented (nothing is granted: the screen is read, never answered).
let person: TPerson;
beforeAll(async () => {
  person = await createPerson("consent-preview");
});
afterAll(async () => deletePerson(person));

const ctx = () => ({ userSub: person.sub, username: person.username, isAdmin: false, correlationId: randomUUID() });

describe("the scope preview on /grants/new", () => {
  for (const taskScopes of [["notes.read"], ["files.read"], ["notes.read", "files.read"]]) {
    it(`lists Keycloak's consent items for ${taskScopes.join(" + ")}, with the worker's name`, async () => {
      const preview = await previewWorkerConsent(ctx(), { taskScopes });
      const { url } = await buildConsentRequest({ taskScopes, redirectUri: WORKER_REDIRECT_URI });
      const screen = await readConsentScreenOverHttp(url, person);
      expect(preview.items.map((i) => i.text).sort()).toEqual([...screen.items].sort());
      expect(screen.title).toBe(`Grant Access to ${preview.name}`);
      // The items the review found missing are there, in Keycloak's words.
      expect(preview.items.map((i) => i.text)).toEqual(expect.arrayContaining(["User roles", "User profile", preview.name]));
    });
  }

  it("shows the worker client's human name and description from the realm", async () => {
    const preview = await previewWorkerConsent(ctx(), { taskScopes: ["notes.read"] });
    expect(preview.name).toBe("Nextcloud MCP background worker");
    expect(preview.description).toBe("Acts on behalf of users who consented; never as itself");
  });

  it("falls back to the requested scopes in the catalog's words when the realm file does not describe the worker", async () => {
    vi.stubEnv("KEYCLOAK_REALM_FILE", "keycloak/no-such-realm.json");
    try {
      const preview = await previewWorkerConsent(ctx(), { taskScopes: ["notes.read"] });
      expect(preview).toEqual({
        clientId: process.env.KEYCLOAK_WORKER_CLIENT_ID,
        name: process.env.KEYCLOAK_WORKER_CLIENT_ID,
        description: null,
        items: [
          { scope: "offline_access", text: SCOPE_CATALOG.offline_access!.label },
          { scope: "notes.read", text: SCOPE_CATALOG["notes.read"]!.label },
        ],
      });
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await previewWorkerConsent(ctx(), { taskScopes: ["notes.read"] })).name).toBe("Nextcloud MCP background worker");
  });

  it("SCOPE_CATALOG's consent texts are the realm's (narrowing finds consents by them)", () => {
    const realm = JSON.parse(readFileSync("keycloak/realm-export.json", "utf8")) as {
      clientScopes: { name: string; attributes?: Record<string, string> }[];
    };
    for (const [scope, entry] of Object.entries(SCOPE_CATALOG)) {
      expect(realm.clientScopes.find((s) => s.name === scope)?.attributes?.["consent.screen.text"], scope).toBe(entry.consentText);
    }
  });
});
