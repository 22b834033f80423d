import "server-only";
import type { Prisma } from "@prisma/client";
import { appendAuditEvents } from "../audit/record-event";
import { assertGrantTransition, WIPED_GRANT_SECRETS } from "./grant-lifecycle";
import { stopGrantTasks } from "./stop-grant-tasks";
import { publishRevocation } from "./publish-revocation";
import type { TLockedGrant } from "./lock-grant";

/**
 * active → revoked_at_provider, inside the transaction that holds the grant's lock and saw the provider
 * refuse it — Keycloak for offline access, Nextcloud (401 to the app password: the device was removed in
 * "Devices & sessions", or the password changed) for an app-password grant: the secrets are wiped, the
 * grant's tasks stop with the reason the user reads, and the event is audited — all or nothing, whoever
 * noticed (worker, health check, tier probe, back-channel re-check).
 */
export async function markRevokedAtProvider(
  tx: Prisma.TransactionClient,
  grant: TLockedGrant,
  providerWords: string,
  correlationId: string,
  provider: "keycloak" | "nextcloud" = "keycloak",
): Promise<void> {
  assertGrantTransition(grant.status, "revoked_at_provider");
  const now = new Date();
  const reason =
    provider === "nextcloud"
      ? `Nextcloud no longer accepts this app password (${providerWords}): it was removed outside this dashboard, e.g. under Devices & sessions in Nextcloud's settings, or the account's password changed`
      : `Keycloak no longer accepts this access (${providerWords}): it was removed outside this dashboard, e.g. in Keycloak's account console, by an administrator, or it expired`;
  await tx.grant.update({
    where: { id: grant.id },
    data: {
      status: "revoked_at_provider",
      revokedAt: now,
      revokeReason: reason,
      lastRefreshAt: now,
      lastRefreshOk: false,
      lastError: providerWords,
      recheckAt: null,
      version: { increment: 1 },
      ...WIPED_GRANT_SECRETS,
    },
  });
  const stopped = await stopGrantTasks(
    tx,
    grant.id,
    `access revoked at ${provider === "nextcloud" ? "Nextcloud" : "Keycloak"}: ${providerWords}`,
  );
  await publishRevocation(tx, { grantIds: [grant.id] });
  await appendAuditEvents(tx, [
    {
      actor: provider,
      actorType: "system",
      subject: grant.userSub,
      action: "grant.revoked_at_provider",
      resource: `grant:${grant.id}`,
      outcome: "success",
      errorCode: provider === "nextcloud" ? "401" : "invalid_grant",
      correlationId,
      mechanism: provider === "nextcloud" ? "app-password" : "offline-access",
      details: { reason, stoppedTasks: stopped },
    },
  ]);
}
