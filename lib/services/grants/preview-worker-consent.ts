import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { env } from "../../env";
import { log } from "../../logger";
import { consentItemsOf, ZRealmConsentSchema, type TClientConsent, type TRealmConsent } from "../../oauth/keycloak-consent-items";
import { SCOPE_CATALOG } from "../../tasks/task-catalog";
import type { TCtx } from "../context";

const realmCache = new Map<string, Promise<TRealmConsent>>();
let messagesCache: { at: number; messages: Promise<Record<string, string>> } | undefined;
const MESSAGES_TTL_MS = 10 * 60_000;

/** The realm file Keycloak imports (the same one scripts/keycloak.sh and docker-compose.yml give it). */
function readRealm(): Promise<TRealmConsent> {
  const file = process.env.KEYCLOAK_REALM_FILE ?? "keycloak/realm-export.json";
  let realm = realmCache.get(file);
  if (!realm) {
    realm = readFile(path.join(process.cwd(), file), "utf8").then((text) => ZRealmConsentSchema.parse(JSON.parse(text)));
    realm.catch(() => realmCache.delete(file));
    realmCache.set(file, realm);
  }
  return realm;
}

/**
 * Keycloak's own login-theme texts (what `${profileScopeConsentText}` and friends read as), from its public
 * localization endpoint — no credential needed. When Keycloak does not answer, keys stay keys.
 */
function readMessages(): Promise<Record<string, string>> {
  if (messagesCache && Date.now() - messagesCache.at < MESSAGES_TTL_MS) return messagesCache.messages;
  const issuer = new URL(env().KEYCLOAK_ISSUER);
  const realm = issuer.pathname.split("/").filter(Boolean).pop()!;
  const base = issuer.pathname.replace(/\/realms\/[^/]+\/?$/, "");
  const url = new URL(`${base}/resources/${encodeURIComponent(realm)}/login/en`, issuer.origin);
  const messages = fetch(url, { signal: AbortSignal.timeout(3_000) })
    .then(async (res) => {
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const rows = (await res.json()) as { key: string; value: string }[];
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    })
    .catch((err: unknown) => {
      log.warn("consent preview: Keycloak's texts unavailable", { err: String(err) });
      messagesCache = undefined;
      return {};
    });
  messagesCache = { at: Date.now(), messages };
  return messages;
}

/**
 * What Keycloak's consent screen will list when the worker client asks the signed-in person for
 * `offline_access` plus `taskScopes`, with the worker's human name and description. Keycloak offers no
 * credential-free way to read a client's scopes, so the scope configuration comes from the realm file
 * Keycloak imports and only the message texts from Keycloak itself; a Vitest test drives the real consent
 * screen and keeps the two equal.
 */
export async function previewWorkerConsent(ctx: TCtx, input: { taskScopes: readonly string[] }): Promise<TClientConsent> {
  // Any signed-in person may read it: it describes the realm, nobody's data; ctx proves there is a person.
  const clientId = env().KEYCLOAK_WORKER_CLIENT_ID;
  const requested = ["offline_access", ...input.taskScopes];
  const [realm, messages] = await Promise.all([readRealm().catch((err: unknown) => err as Error), readMessages()]);
  try {
    if (realm instanceof Error) throw realm;
    return consentItemsOf(realm, clientId, requested, messages);
  } catch (err) {
    // A deployment whose realm is not the file shipped here (or a file without this client) still gets a
    // page: what the worker asks for, in the catalog's words, without the items only the realm knows.
    log.warn("consent preview: the realm file does not describe the worker client; showing the requested scopes only", {
      err: String(err),
    });
    return {
      clientId,
      name: clientId,
      description: null,
      items: requested.map((scope) => ({ scope, text: SCOPE_CATALOG[scope]?.label ?? scope })),
    };
  }
}
