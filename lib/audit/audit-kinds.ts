/**
 * Every kind of event the audit trail holds, with what it means in words. `action` and `mechanism` of an
 * event are checked against these lists by the compiler, so a new kind is added here (and shows up in the
 * admin page's filter list) rather than invented at a call site. Plain data: safe for client components.
 */
export const AUDIT_ACTIONS = {
  "auth.sign_in": "signed in to the dashboard",
  "auth.sign_out": "signed out of the dashboard",
  "auth.session_ended_by_keycloak": "dashboard session ended by Keycloak (back-channel logout)",
  "auth.backchannel_logout": "Keycloak sent a back-channel logout for the worker",
  "consent.granted": "consented at Keycloak",
  "grant.consent": "consent callback checked",
  "grant.created": "access granted",
  "grant.widened": "access widened",
  "grant.narrowed": "access narrowed",
  "grant.renewed": "access renewed",
  "grant.revoke_requested": "revocation requested",
  "grant.revoke_confirmed": "revocation confirmed by Keycloak (or, for an app password, by Nextcloud)",
  "grant.revoked_at_provider": "access ended at Keycloak (or the app password removed in Nextcloud)",
  "grant.app_password_flow_started": "Nextcloud Login Flow v2 started (connect by app password)",
  "grant.app_password_verified": "app password checked against the person's Nextcloud account",
  "grant.health_check": "grant health checked at Nextcloud (app password)",
  "grant.consent_removed": "consent removed at Keycloak",
  "grant.superseded_token_revoked": "replaced offline token revoked",
  "revocation.confirmed": "revocation confirmed",
  "token.refresh": "token refreshed",
  "token.exchange": "token exchanged (RFC 8693)",
  "token.revoke": "token revoked (RFC 7009)",
  "token.introspect": "token introspected (RFC 7662)",
  "token.client_credentials": "service-account token obtained",
  "service_account.refused": "service-account token refused for Nextcloud",
  "nextcloud.request": "request to Nextcloud",
  "nextcloud.app_password_delete": "app password deleted at Nextcloud",
  "nextcloud.app_password_proof": "deleted app password tried again (401 expected)",
  "task.run": "task run",
  "task.enabled": "task enabled",
  "task.run-now": "task started by hand",
  "task.pause": "task paused",
  "task.resume": "task resumed",
  "task.interval": "task interval changed",
  "task.revoke": "task revoked",
  "task.data_deleted": "collected data deleted",
  "tier.probe": "delegation tier probed",
  "tiers.view": "tier status viewed",
  "workers.view": "workers viewed",
  "audit.view": "audit trail viewed",
  "audit.search": "audit trail searched",
  "audit.export": "audit trail exported",
  "audit.verify": "audit chain verified",
  "audit.verify-witness": "saved export or receipt verified",
  "audit.checkpoint": "audit checkpoint signed",
} as const satisfies Record<string, string>;

export type TAuditAction = keyof typeof AUDIT_ACTIONS;

/** How the act was carried out: the delegation mechanism, protocol, or (for tier probes) the tier probed. */
export const AUDIT_MECHANISMS = [
  "user-token",
  "offline-access",
  "offline-refresh",
  "token-exchange",
  "impersonation-probe",
  "service-account",
  "rfc7009",
  "rfc7662",
  "keycloak-account-api",
  "oidc-backchannel-logout",
  "worker",
  "basic-auth",
  "tier0-basic-auth",
  "tier1-impersonation",
  "tier2-token-exchange",
  "delegation-act",
  "service-accounts",
  "app-password",
  "nextcloud-apppassword",
  "nextcloud-oidc-provider",
  "nextcloud-impersonate-app",
] as const;

export type TAuditMechanism = (typeof AUDIT_MECHANISMS)[number];

export function isAuditAction(value: string): value is TAuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}
