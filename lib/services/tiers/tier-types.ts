/**
 * What the tier status view shows. Plain data and types, safe to import from client components: the
 * probes (server only) produce these, the page renders them.
 */
export const TIER_MECHANISMS = [
  "tier0-basic-auth",
  "offline-access",
  "tier1-impersonation",
  "tier2-token-exchange",
  "delegation-act",
  "service-accounts",
  "app-password",
  "nextcloud-oidc-provider",
  "nextcloud-impersonate-app",
] as const;

export type TTierMechanism = (typeof TIER_MECHANISMS)[number];

export const TIER_STATUSES = [
  "works",
  "refused",
  "failing",
  "not_configured",
  "rejected_by_policy",
  "needs_probe_grant",
  "not_detected",
  "not_checked",
] as const;

export type TTierStatus = (typeof TIER_STATUSES)[number];

/**
 * What a probe saw. `request` summarises what was asked (never a credential); `response` is the
 * provider's answer verbatim (error and error_description) or a summary of a success; `claims` are the
 * identifying claims of an issued token (the token itself is never kept).
 */
export type TTierEvidence = {
  request: string;
  response: string;
  claims?: Record<string, unknown>;
  notes?: string[];
  warning?: string;
  /** Which Nextcloud APIs accepted this mechanism's credential, with Nextcloud's verbatim HTTP status. */
  capabilities?: TCapability[];
};

/** The Nextcloud APIs the capability matrix asks, in its column order. */
export const NEXTCLOUD_APIS = ["webdav-files", "ocs-user", "caldav", "carddav", "notes-api"] as const;
export type TNextcloudApi = (typeof NEXTCLOUD_APIS)[number];

export const NEXTCLOUD_API_TITLES: Record<TNextcloudApi, string> = {
  "webdav-files": "WebDAV files",
  "ocs-user": "OCS user",
  caldav: "CalDAV calendars",
  carddav: "CardDAV address books",
  "notes-api": "Notes app API",
};

/** One cell of the matrix: the request made (never a credential) and Nextcloud's status, or why none came. */
export type TCapability = { api: TNextcloudApi; request: string; status: number | null; answer: string };

export type TTierProbeResult = {
  mechanism: TTierMechanism;
  status: TTierStatus;
  evidence: TTierEvidence;
  fix: string | null;
};

export type TTierProbeView = TTierProbeResult & { checkedAt: string | null };

export const TIER_TITLES: Record<TTierMechanism, string> = {
  "tier0-basic-auth": "Tier 0 — admin BasicAuth to Nextcloud",
  "offline-access": "Offline access (refresh tokens with user consent)",
  "tier1-impersonation": "Tier 1 — impersonation (requested_subject)",
  "tier2-token-exchange": "Tier 2 — token exchange (Standard V2)",
  "delegation-act": "Delegation with an act claim",
  "service-accounts": "Service accounts (client_credentials)",
  "app-password": "Nextcloud app password (Login Flow v2)",
  "nextcloud-oidc-provider": "Nextcloud's own OIDC provider app as identity provider",
  "nextcloud-impersonate-app": "Nextcloud Impersonate app (admin session impersonation)",
};

/** Words shown for a status; Tier 0 that works is never shown as plainly "works". */
export function tierStatusLabel(mechanism: TTierMechanism, status: TTierStatus): string {
  if (mechanism === "tier0-basic-auth" && status === "works") return "works, not recommended";
  return {
    works: "works",
    refused: "refused",
    failing: "failing",
    not_configured: "not configured",
    rejected_by_policy: "rejected by policy",
    needs_probe_grant: "needs a probe grant",
    not_detected: "not detected",
    not_checked: "not checked yet",
  }[status];
}

/** Exact fix when Keycloak says Standard Token Exchange is off for the worker client. */
export const STANDARD_EXCHANGE_FIX = (clientId: string) =>
  `In Keycloak, client ${clientId} → set attribute standard.token.exchange.enabled=true ` +
  `(Admin console: Client details → Capability config → Standard Token Exchange).`;

export const PROBE_GRANT_FIX =
  "Grant the worker access as yourself at /grants/new?task=notes-index; the probes use your own most recent active grant, never another user's.";
