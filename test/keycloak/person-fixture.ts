/**
 * A throwaway person in the shared realm, signed in to the dashboard over HTTP exactly as the browser
 * does (dashboard client, PKCE), with a real LoginSession row — and the cookie jar of that browser, so
 * later consents happen in the same Keycloak SSO session, like clicking "Grant access" while signed in.
 * Each test file gets its own person, so files never share grants, consents or sessions.
 */
import { randomUUID } from "node:crypto";
import * as oidc from "openid-client";
import { decodeJwt } from "jose";
import { startLoginSession } from "@/lib/auth/start-login-session";
import { getOidcConfig } from "@/lib/oauth/get-oidc-config";
import { buildConsentRequest } from "@/lib/oauth/build-consent-request";
import { redeemConsentCode, type TRedeemedConsent } from "@/lib/oauth/redeem-consent-code";
import { adminFetch, ensureOfflineAccessScopeMapping, getUserByUsername } from "./admin-api";
import { approveConsentOverHttp, CookieJar, WORKER_REDIRECT_URI } from "./consent-over-http";

export type TPerson = { username: string; password: string; sub: string };
export type TSignedIn = {
  person: TPerson;
  loginSessionId: string;
  jar: CookieJar;
  ctx: { userSub: string; username: string; isAdmin: boolean; correlationId: string; loginSessionId: string };
};

/** Creates an enabled Keycloak user with a password (deleted by `deletePerson`). */
export async function createPerson(prefix: string): Promise<TPerson> {
  await ensureOfflineAccessScopeMapping();
  const username = `${prefix}-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  await adminFetch("/users", {
    method: "POST",
    body: {
      username,
      enabled: true,
      firstName: "Test",
      lastName: prefix,
      email: `${username}@example.test`,
      emailVerified: true,
      credentials: [{ type: "password", value: password, temporary: false }],
    },
  });
  return { username, password, sub: (await getUserByUsername(username)).id };
}

export async function deletePerson(person: TPerson): Promise<void> {
  await adminFetch(`/users/${person.sub}`, { method: "DELETE" }).catch(() => undefined);
}

/** Signs the person in to the dashboard client over HTTP and records the LoginSession as the app does. */
export async function signInOverHttp(person: TPerson, jar = new CookieJar()): Promise<TSignedIn> {
  const config = await getOidcConfig({
    clientId: process.env.KEYCLOAK_DASHBOARD_CLIENT_ID!,
    clientSecret: process.env.KEYCLOAK_DASHBOARD_CLIENT_SECRET!,
  });
  const redirectUri = "http://localhost:3000/api/auth/callback/keycloak";
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid profile email",
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const callback = await approveConsentOverHttp(url, person, redirectUri, jar);
  const tokens = await oidc.authorizationCodeGrant(
    config,
    callback,
    { expectedState: state, pkceCodeVerifier: verifier },
    { redirect_uri: redirectUri },
  );
  const claims = decodeJwt(tokens.id_token!);
  const loginSessionId = await startLoginSession({
    sub: person.sub,
    username: person.username,
    name: null,
    email: null,
    keycloakSid: typeof claims.sid === "string" ? claims.sid : null,
    idToken: tokens.id_token!,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    accessExpiresAt: new Date(Date.now() + (tokens.expiresIn() ?? 60) * 1000),
    roles: [],
  });
  return {
    person,
    loginSessionId,
    jar,
    ctx: { userSub: person.sub, username: person.username, isAdmin: false, correlationId: randomUUID(), loginSessionId },
  };
}

/** An offline consent for the worker given in the signed-in browser (same SSO session), redeemed. */
export async function consentInBrowser(signedIn: TSignedIn, taskScopes: string[]): Promise<TRedeemedConsent> {
  const { url, checks } = await buildConsentRequest({ taskScopes, redirectUri: WORKER_REDIRECT_URI });
  const callback = await approveConsentOverHttp(url, signedIn.person, checks.redirectUri, signedIn.jar);
  return redeemConsentCode(callback, checks);
}
