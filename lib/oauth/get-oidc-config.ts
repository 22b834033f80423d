import "server-only";
import * as oidc from "openid-client";
import { env, isLocalHttp } from "../env";
import { toOAuthError } from "./oauth-errors";

export type TClientCredentials = { clientId: string; clientSecret: string };

const cache = new Map<string, Promise<oidc.Configuration>>();

/** The worker client's id and secret from the validated environment. */
export function workerClient(): TClientCredentials {
  return { clientId: env().KEYCLOAK_WORKER_CLIENT_ID, clientSecret: env().KEYCLOAK_WORKER_CLIENT_SECRET };
}

/**
 * Discovers the realm once per client per process and caches the result (a failed discovery is not
 * cached, so a Keycloak restart heals). Plain http is allowed only for a local issuer. Defaults to the
 * worker client; the client authenticates with client_secret_basic on every token-endpoint call.
 */
export function getOidcConfig(client: TClientCredentials = workerClient()): Promise<oidc.Configuration> {
  const issuer = env().KEYCLOAK_ISSUER;
  const key = `${issuer}|${client.clientId}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = oidc
      .discovery(new URL(issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), {
        execute: isLocalHttp(issuer) ? [oidc.allowInsecureRequests] : [],
      })
      .catch((err: unknown) => {
        cache.delete(key);
        throw toOAuthError("discovery", err);
      });
    cache.set(key, pending);
  }
  return pending;
}

/** Forgets cached discovery results (tests, or after the realm's keys or endpoints changed). */
export function clearOidcConfigCache(): void {
  cache.clear();
}
