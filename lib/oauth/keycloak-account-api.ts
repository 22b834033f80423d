import "server-only";
import { env, isLocalHttp } from "../env";
import { redact } from "../logger";
import { IdpUnavailableError, OAuthProviderError } from "./oauth-errors";

type TConsentedScope = { id: string; name: string };
type TApplication = { clientId: string; consent?: { grantedScopes: TConsentedScope[] } | null; offlineAccess?: boolean };

/**
 * Keycloak's account REST API, called in the user's own name (their dashboard access token carries the
 * `account` audience and manage-account): the same operations as the account console, so removing or
 * narrowing a consent here is exactly what the person would do there — no admin or service-account
 * credential is involved.
 */
async function accountFetch(accessToken: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const url = `${env().KEYCLOAK_ISSUER}/account${path}`;
  if (!isLocalHttp(url) && !url.startsWith("https://")) throw new IdpUnavailableError("account-api", "Keycloak issuer must use https");
  try {
    return await fetch(url, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: "application/json",
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new IdpUnavailableError("account-api", error instanceof Error ? error.message : String(error));
  }
}

async function refused(operation: string, res: Response): Promise<never> {
  const text = String(redact((await res.text().catch(() => "")).slice(0, 200)));
  throw new OAuthProviderError(operation, `http_${res.status}`, text || res.statusText, res.status);
}

/** The consent the user gave `clientId`, as the account console shows it; null when none is listed. */
export async function readConsent(
  accessToken: string,
  clientId: string,
): Promise<{ scopes: TConsentedScope[]; offlineAccess: boolean } | null> {
  const res = await accountFetch(accessToken, "/applications");
  if (!res.ok) await refused("account.applications", res);
  const app = ((await res.json()) as TApplication[]).find((a) => a.clientId === clientId);
  if (!app?.consent) return null;
  return { scopes: app.consent.grantedScopes.map((s) => ({ id: s.id, name: s.name })), offlineAccess: app.offlineAccess === true };
}

/** Removes the consent (and with it Keycloak's offline sessions of this user for the client). */
export async function removeConsent(accessToken: string, clientId: string): Promise<void> {
  const res = await accountFetch(accessToken, `/applications/${encodeURIComponent(clientId)}/consent`, { method: "DELETE" });
  if (res.status !== 204 && res.status !== 200) await refused("account.consent.delete", res);
}

/**
 * Drops consented scopes whose consent text is in `dropTexts`, keeping every other entry: afterwards the
 * account console lists only what remains. Keycloak then refuses refreshes of tokens that still carry a
 * dropped scope ("Client no longer has requested consent"), so call it after a narrower token is stored.
 */
export async function dropConsentedScopes(accessToken: string, clientId: string, dropTexts: string[]): Promise<TConsentedScope[]> {
  const consent = await readConsent(accessToken, clientId);
  if (!consent) return [];
  const keep = consent.scopes.filter((s) => !dropTexts.includes(s.name));
  if (keep.length === consent.scopes.length) return keep;
  const res = await accountFetch(accessToken, `/applications/${encodeURIComponent(clientId)}/consent`, {
    method: "PUT",
    body: { grantedScopes: keep },
  });
  if (!res.ok) await refused("account.consent.update", res);
  return keep;
}
