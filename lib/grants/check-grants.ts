import "server-only";
import { db } from "../db";
import { auditRecorder } from "../audit/record-event";
import { GrantRevokedError } from "../oauth/oauth-errors";
import { getDelegatedToken } from "./get-delegated-token";
import { checkAppPasswordGrant } from "./check-app-password-grant";

// A validity demand longer than any access token lives forces a real refresh.
const FORCE_REFRESH_SECONDS = 366 * 24 * 3600;

export type TCheckOutcome = { stillActive: number; revoked: number; unknown: number };

/**
 * Asks Keycloak whether grants are still alive, server-side and unscoped (callers check permission).
 * Health is a real refresh through the serialised path, so the single-use token is never spent twice;
 * Keycloak 26 cannot be asked by introspection instead (it reports offline refresh tokens as inactive
 * while the session lives). A refused grant becomes revoked_at_provider and its tasks stop inside the
 * token module; an outage or a client misconfiguration concludes nothing (counted as unknown).
 * An app-password grant is asked at Nextcloud instead (checkAppPasswordGrant): a 401 — the device was
 * removed in Devices & sessions — stops it and its tasks the same way.
 */
export async function checkGrants(grantIds: string[], correlationId: string): Promise<TCheckOutcome> {
  const grants = await db().grant.findMany({ where: { id: { in: grantIds }, status: "active" }, select: { id: true, mechanism: true } });
  const outcome: TCheckOutcome = { stillActive: 0, revoked: 0, unknown: 0 };
  for (const grant of grants) {
    if (grant.mechanism === "app_password") {
      const state = await checkAppPasswordGrant(grant.id, correlationId).catch(() => "unknown" as const);
      if (state === "active") outcome.stillActive += 1;
      else if (state === "revoked") outcome.revoked += 1;
      else outcome.unknown += 1;
      continue;
    }
    try {
      await getDelegatedToken({ grantId: grant.id, recorder: auditRecorder, correlationId, minValiditySeconds: FORCE_REFRESH_SECONDS });
      outcome.stillActive += 1;
    } catch (error) {
      if (error instanceof GrantRevokedError || (error as { code?: string }).code === "ConsentRevoked") outcome.revoked += 1;
      else outcome.unknown += 1;
    }
  }
  return outcome;
}

/** Grants whose re-check is due (back-channel hints) or whose last refresh is older than `staleMs`. */
export async function grantsDueForCheck(staleMs: number, limit = 50): Promise<string[]> {
  const now = new Date();
  const due = await db().grant.findMany({
    where: {
      status: "active",
      OR: [{ recheckAt: { lte: now } }, { lastRefreshAt: null }, { lastRefreshAt: { lt: new Date(now.getTime() - staleMs) } }],
    },
    orderBy: [{ recheckAt: { sort: "asc", nulls: "last" } }, { lastRefreshAt: { sort: "asc", nulls: "first" } }],
    select: { id: true },
    take: limit,
  });
  return due.map((g) => g.id);
}
