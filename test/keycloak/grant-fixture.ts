/**
 * Fixtures for token-module tests: an in-memory audit recorder, and a real offline grant stored as a
 * Grant row exactly as the consent callback stores it.
 */
import type { TAuditInput, TAuditRecorder } from "@/lib/audit/types";
import { db } from "@/lib/db";
import { vaultAad } from "@/lib/vault/aad";
import { openSecret } from "@/lib/vault/token-vault";
import { storeConsentedGrant } from "@/lib/grants/store-consented-grant";
import { attemptRevocation } from "@/lib/grants/confirm-revocation";
import type { TRedeemedConsent } from "@/lib/oauth/redeem-consent-code";
import { ensureOfflineAccessScopeMapping } from "./admin-api";
import { obtainOfflineConsentOverHttp } from "./consent-over-http";

export type TMemoryRecorder = TAuditRecorder & {
  events: TAuditInput[];
  count: (action: string, outcome?: TAuditInput["outcome"]) => number;
};

/** A recorder that keeps events in an array, for assertions. */
export function createMemoryRecorder(): TMemoryRecorder {
  const events: TAuditInput[] = [];
  const recorder = (async (e: TAuditInput) => {
    events.push(e);
  }) as TMemoryRecorder;
  recorder.events = events;
  recorder.count = (action, outcome) => events.filter((e) => e.action === action && (!outcome || e.outcome === outcome)).length;
  return recorder;
}

/** A real consent for `user` (over HTTP), its User row, and a Grant row with the tokens sealed. */
export async function createGrantOverHttp(
  user: { username: string; password: string },
  taskScopes: string[] = ["notes.read"],
): Promise<{ grantId: string; redeemed: TRedeemedConsent }> {
  await ensureOfflineAccessScopeMapping();
  const redeemed = await obtainOfflineConsentOverHttp(user, taskScopes);
  await db().user.upsert({
    where: { sub: redeemed.sub },
    create: { sub: redeemed.sub, username: user.username },
    update: {},
  });
  // One grant per (user, worker): a consent from another session supersedes the grant's old token, whose
  // offline session is ended exactly as the consent callback does it.
  const { grantId, supersededRevocationId } = await storeConsentedGrant(redeemed, "test-fixture");
  if (supersededRevocationId) await attemptRevocation(supersededRevocationId, "test-fixture");
  return { grantId, redeemed };
}

/** The grant's current offline token, opened from the vault (tokens rotate on every refresh). */
export async function currentOfflineToken(grantId: string): Promise<string> {
  const g = await db().grant.findUniqueOrThrow({ where: { id: grantId } });
  return openSecret({ keyId: g.keyId, sealed: g.refreshTokenEnc }, vaultAad.grantRefresh(grantId));
}

/** Makes the cached access token look expired so the next getDelegatedToken must refresh. */
export async function expireCachedAccessToken(grantId: string): Promise<void> {
  await db().grant.update({ where: { id: grantId }, data: { accessExpiresAt: new Date(Date.now() - 1000) } });
}
