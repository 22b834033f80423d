import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { vaultAad } from "../vault/aad";
import { sealSecret } from "../vault/token-vault";
import { workerClient } from "./get-oidc-config";
import type { TRedeemedConsent } from "./redeem-consent-code";

/**
 * Persists a redeemed consent as an active Grant with its offline and access tokens sealed (bound to
 * the new row's id), so no plaintext token is ever written. The user row must already exist (sign-in
 * creates it). Returns the grant id.
 */
export async function storeOfflineGrant(redeemed: TRedeemedConsent): Promise<string> {
  const id = randomUUID();
  const refresh = sealSecret(redeemed.offlineToken, vaultAad.grantRefresh(id));
  const access = sealSecret(redeemed.accessToken, vaultAad.grantAccess(id));
  await db().grant.create({
    data: {
      id,
      userSub: redeemed.sub,
      clientId: workerClient().clientId,
      scopes: redeemed.grantedScopes,
      status: "active",
      keyId: refresh.keyId,
      refreshTokenEnc: refresh.sealed,
      accessTokenEnc: access.sealed,
      accessExpiresAt: redeemed.accessExpiresAt,
      keycloakSid: redeemed.sid,
      idleExpiresAt: redeemed.refreshExpiresAt,
    },
  });
  return id;
}
