import { randomUUID } from "node:crypto";
import { fakeJwt } from "@/test/fake-jwt";
import type { TPendingConsent } from "../pending-consent-cookie";

/** The sealed consent request a callback opens: this person, this sign-in, these scopes. */
export function pendingFor(userSub: string, loginSessionId: string, requestedScopes = ["offline_access", "notes.read"]): TPendingConsent {
  return {
    checks: {
      state: `state-${randomUUID()}`,
      nonce: "n",
      codeVerifier: "v",
      redirectUri: "http://localhost:3000/grants/callback",
      requestedScopes,
    },
    userSub,
    loginSessionId,
    taskType: "notes-index",
    createdAt: Date.now(),
  };
}

/** The URL Keycloak sends the browser back to, with these query parameters. */
export const callback = (params: Record<string, string>) => new URL(`http://localhost:3000/grants/callback?${new URLSearchParams(params)}`);

/** What a faked code redemption answers: tokens for `sub` that never came from Keycloak. */
export function redeemed(sub: string, grantedScopes = ["openid", "offline_access", "notes.read"], sid: string | null = "sid-1") {
  return {
    sub,
    sid,
    grantedScopes,
    offlineToken: `offline-${randomUUID()}`,
    accessToken: fakeJwt({ sub, aud: ["nextcloud", process.env.KEYCLOAK_WORKER_CLIENT_ID!] }),
    accessExpiresAt: new Date(Date.now() + 300_000),
    refreshExpiresAt: null,
  };
}
