import "server-only";
import { randomUUID } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { db } from "../../db";
import { env } from "../../env";
import { AppError } from "../../errors";
import { auditRecorder } from "../../audit/record-event";
import { getOidcConfig, workerClient } from "../../oauth/get-oidc-config";
import { revokeGrant } from "./revoke-grant";

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

/** Validates an OIDC Back-Channel Logout token (signature, iss, aud, iat, events, sub/sid, no nonce). */
export async function verifyLogoutToken(logoutToken: string): Promise<JWTPayload & { sid?: string; events: Record<string, unknown> }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(logoutToken, await keySet(), {
      issuer: env().KEYCLOAK_ISSUER,
      audience: workerClient().clientId,
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

/**
 * Keycloak told the worker client that a user's session ended. Offline access normally outlives a
 * session, so grants are kept — unless the token carries `revoke_offline_access`, in which case every
 * grant of that user (or of that session) is revoked through the same outbox as a user's own revoke.
 */
export async function handleBackchannelLogout(logoutToken: string): Promise<{ revokedGrants: number; revokeOffline: boolean }> {
  const claims = await verifyLogoutToken(logoutToken);
  const revokeOffline = claims.events.revoke_offline_access === true || (claims as Record<string, unknown>).revoke_offline_access === true;
  const correlationId = randomUUID();
  let revokedGrants = 0;
  if (revokeOffline && claims.sub) {
    const grants = await db().grant.findMany({ where: { userSub: claims.sub, status: { in: ["active", "pending"] } }, select: { id: true } });
    for (const g of grants) {
      await revokeGrant(
        { userSub: claims.sub, username: claims.sub, isAdmin: false, correlationId },
        { grantId: g.id },
        // Keycloak sends this while it is still removing the session: let the outbox confirm shortly after.
        { reason: "Keycloak back-channel logout asked to revoke offline access", actor: { id: "keycloak", type: "system" }, attemptNow: false },
      );
      revokedGrants += 1;
    }
  }
  await auditRecorder({
    actor: "keycloak",
    actorType: "system",
    subject: claims.sub ?? null,
    action: "auth.backchannel_logout",
    resource: `client:${workerClient().clientId}`,
    outcome: "success",
    correlationId,
    mechanism: "oidc-backchannel-logout",
    details: { sid: claims.sid ?? null, revokeOfflineAccess: revokeOffline, revokedGrants },
  });
  return { revokedGrants, revokeOffline };
}
