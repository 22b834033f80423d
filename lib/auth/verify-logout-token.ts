import "server-only";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { env } from "../env";
import { AppError } from "../errors";
import { getOidcConfig } from "../oauth/get-oidc-config";

const LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

async function keySet() {
  if (!jwks) {
    const uri = (await getOidcConfig()).serverMetadata().jwks_uri;
    if (!uri) throw new AppError("IdpUnavailable", "Keycloak publishes no jwks_uri");
    jwks = createRemoteJWKSet(new URL(uri));
  }
  return jwks;
}

/**
 * Validates an OIDC Back-Channel Logout token for one of our clients (signature against Keycloak's JWKS,
 * iss, aud, iat within 5 minutes, jti, events, sub/sid, no nonce). Replay is the caller's check (jti).
 */
export async function verifyLogoutToken(
  logoutToken: string,
  audience: string,
): Promise<JWTPayload & { sid?: string; events: Record<string, unknown> }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(logoutToken, await keySet(), {
      issuer: env().KEYCLOAK_ISSUER,
      audience,
      maxTokenAge: "5 minutes",
      requiredClaims: ["iat", "jti", "events"],
    }));
  } catch (error) {
    throw new AppError("BadInput", `Invalid logout token: ${(error as Error).message}`);
  }
  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events !== "object" || !(LOGOUT_EVENT in events)) {
    throw new AppError("BadInput", "Invalid logout token: no back-channel logout event");
  }
  if ("nonce" in payload) throw new AppError("BadInput", "Invalid logout token: a nonce is not allowed");
  if (!payload.sub && typeof payload.sid !== "string") throw new AppError("BadInput", "Invalid logout token: neither sub nor sid");
  return payload as JWTPayload & { sid?: string; events: Record<string, unknown> };
}
