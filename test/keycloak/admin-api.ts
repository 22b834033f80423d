/**
 * Small helpers around Keycloak's admin REST API for integration tests: an admin token (admin-cli,
 * password grant on the master realm, through openid-client), and the few reads and writes tests need.
 * The realm is shared with other engineers' runs: anything a test changes must be restored (see
 * withClientAttributes).
 */
import * as oidc from "openid-client";

const adminUrl = () => process.env.KEYCLOAK_ADMIN_URL ?? "http://localhost:8180";
const realmName = () => new URL(process.env.KEYCLOAK_ISSUER ?? "http://localhost:8180/realms/nextcloud-mcp").pathname.split("/").pop()!;

let masterConfig: Promise<oidc.Configuration> | undefined;

/** A fresh admin access token (admin-cli on master). Short-lived, so it is not cached. */
export async function getAdminToken(): Promise<string> {
  masterConfig ??= oidc.discovery(new URL(`${adminUrl()}/realms/master`), "admin-cli", undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const res = await oidc.genericGrantRequest(await masterConfig, "password", {
    username: process.env.KEYCLOAK_ADMIN_USER ?? "kcadmin",
    password: process.env.KEYCLOAK_ADMIN_PASSWORD ?? "kcadmin-local-only",
  });
  return res.access_token;
}

/** Calls the admin API of the test realm; throws with Keycloak's body on any non-2xx answer. */
export async function adminFetch<T = unknown>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${adminUrl()}/admin/realms/${realmName()}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${await getAdminToken()}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`Keycloak admin ${init.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export type TKcClient = { id: string; clientId: string; attributes?: Record<string, string>; [k: string]: unknown };
export type TKcUser = { id: string; username: string; [k: string]: unknown };
export type TKcOfflineSession = { id: string; userId: string; start: number; lastAccess: number; clients: Record<string, string> };

/** The client representation (with its internal uuid `id`) for a clientId. */
export async function getClientByClientId(clientId: string): Promise<TKcClient> {
  const found = await adminFetch<TKcClient[]>(`/clients?clientId=${encodeURIComponent(clientId)}`);
  const client = found.find((c) => c.clientId === clientId);
  if (!client) throw new Error(`Keycloak client ${clientId} not found`);
  return client;
}

/** The user representation for an exact username. */
export async function getUserByUsername(username: string): Promise<TKcUser> {
  const found = await adminFetch<TKcUser[]>(`/users?exact=true&username=${encodeURIComponent(username)}`);
  const user = found.find((u) => u.username === username);
  if (!user) throw new Error(`Keycloak user ${username} not found`);
  return user;
}

/**
 * Sets (string) or removes (null) client attributes, re-reading the client first so concurrent edits
 * to other fields are not overwritten with stale values. Keycloak keeps attributes that a PUT leaves
 * out; it removes one only when it is sent as an empty string, which is what null does here.
 */
export async function updateClientAttributes(clientId: string, changes: Record<string, string | null>): Promise<void> {
  const client = await getClientByClientId(clientId);
  const attributes = { ...(client.attributes ?? {}) };
  for (const [k, v] of Object.entries(changes)) {
    attributes[k] = v ?? "";
  }
  await adminFetch(`/clients/${client.id}`, { method: "PUT", body: { ...client, attributes } });
}

/**
 * Runs `fn` with some client attributes changed and always puts the previous values back (also when
 * `fn` throws), so the shared realm is only altered for the duration of `fn`.
 */
export async function withClientAttributes<T>(clientId: string, changes: Record<string, string | null>, fn: () => Promise<T>): Promise<T> {
  const before = (await getClientByClientId(clientId)).attributes ?? {};
  const restore = Object.fromEntries(Object.keys(changes).map((k) => [k, before[k] ?? null]));
  await updateClientAttributes(clientId, changes);
  try {
    return await fn();
  } finally {
    await updateClientAttributes(clientId, restore);
  }
}

/** The user's offline sessions that include the given client (by clientId). */
export async function listOfflineSessions(userId: string, clientId: string): Promise<TKcOfflineSession[]> {
  const client = await getClientByClientId(clientId);
  return adminFetch<TKcOfflineSession[]>(`/users/${userId}/offline-sessions/${client.id}`);
}

/**
 * Without the `offline_access` role mapped into the `offline_access` client scope, Keycloak answers
 * "Offline tokens not allowed for the user or client" (the worker requires consent, so it has no full
 * scope). keycloak/realm-export.json now carries that mapping ("scopeMappings"), but a Keycloak whose
 * realm was imported from an older export does not; this adds it to the running realm, idempotently
 * (additive; the same as a default realm). Returns true when it had to add the mapping.
 */
export async function ensureOfflineAccessScopeMapping(): Promise<boolean> {
  const scopes = await adminFetch<{ id: string; name: string }[]>("/client-scopes");
  const scope = scopes.find((s) => s.name === "offline_access");
  if (!scope) throw new Error("client scope offline_access is missing from the realm");
  const mapped = await adminFetch<{ name: string }[]>(`/client-scopes/${scope.id}/scope-mappings/realm`);
  if (mapped.some((r) => r.name === "offline_access")) return false;
  const role = await adminFetch<{ id: string; name: string }>("/roles/offline_access");
  await adminFetch(`/client-scopes/${scope.id}/scope-mappings/realm`, { method: "POST", body: [role] });
  return true;
}
