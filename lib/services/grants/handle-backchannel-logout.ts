import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "../../errors";
import { recordObservedEvent } from "../../audit/record-event";
import { workerClient } from "../../oauth/get-oidc-config";
import { verifyLogoutToken } from "../../auth/verify-logout-token";

export { verifyLogoutToken };
import { requestGrantRecheck } from "../../grants/request-grant-recheck";
import { rememberLogoutToken } from "../../auth/remember-logout-token";

/** How long after a logout token the re-check runs: Keycloak sends it while still removing sessions. */
export const RECHECK_DELAY_MS = 2_000;
const LOGOUT_TOKEN_MAX_AGE_MS = 5 * 60_000;

/**
 * Keycloak told the worker client that a user's session ended. That alone never stops background work:
 * offline access outlives sign-out, SSO logout and admin "sign out" (proven against Keycloak in the
 * tests), and this realm flags every logout token with `revoke_offline_access`. So the token only asks
 * for a live re-check (a refresh) of the grants it names — by `sid` when it carries one, and all of the
 * user's when it says `revoke_offline_access` — a couple of seconds later; Keycloak's answer decides
 * (account-console removal, consent revoked by an admin, user disabled → revoked_at_provider, tasks stop).
 * A replayed token (same jti) is refused and changes nothing; a token issued before a grant existed
 * never touches it.
 */
export async function handleBackchannelLogout(logoutToken: string): Promise<{ recheckRequested: number; revokeOffline: boolean }> {
  const claims = await verifyLogoutToken(logoutToken, workerClient().clientId);
  const issuedAt = new Date((claims.iat ?? 0) * 1000);
  if (!(await rememberLogoutToken(String(claims.jti), new Date(issuedAt.getTime() + LOGOUT_TOKEN_MAX_AGE_MS)))) {
    throw new AppError("BadInput", "Invalid logout token: already used (replay)");
  }
  const revokeOffline = claims.events.revoke_offline_access === true || (claims as Record<string, unknown>).revoke_offline_access === true;
  const correlationId = randomUUID();
  const clientId = workerClient().clientId;
  let recheckRequested = 0;
  if (claims.sub) {
    const scope =
      revokeOffline || !claims.sid ? { userSub: claims.sub, clientId } : { userSub: claims.sub, clientId, keycloakSid: claims.sid };
    // `iat` has whole seconds: a token from the same second as the grant may be about it.
    recheckRequested = await requestGrantRecheck({ ...scope, grantedBefore: new Date(issuedAt.getTime() + 999) }, RECHECK_DELAY_MS);
  }
  await recordObservedEvent({
    actor: "keycloak",
    actorType: "system",
    subject: claims.sub ?? null,
    action: "auth.backchannel_logout",
    resource: `client:${clientId}`,
    outcome: "success",
    correlationId,
    mechanism: "oidc-backchannel-logout",
    details: { sid: claims.sid ?? null, revokeOfflineAccess: revokeOffline, recheckRequested },
  });
  return { recheckRequested, revokeOffline };
}
