/**
 * The background task types users can enable, and the Keycloak scopes each needs. Plain data, safe to
 * import from client components: the grant page explains scopes with it, the worker registers
 * handlers for exactly these ids.
 */
export const TASK_CATALOG = {
  "notes-index": {
    title: "Notes index",
    description: "Reads your notes from Nextcloud (WebDAV) and builds a full-text index you can search here.",
    scopes: ["notes.read"],
  },
  "files-inventory": {
    title: "Files inventory",
    description: "Walks your Nextcloud files (WebDAV PROPFIND) and records counts, sizes and changes.",
    scopes: ["files.read"],
  },
} as const satisfies Record<string, { title: string; description: string; scopes: readonly string[] }>;

export type TTaskType = keyof typeof TASK_CATALOG;

export const TASK_TYPES = Object.keys(TASK_CATALOG) as TTaskType[];

/**
 * What each scope lets the worker do, in plain words. `consentText` is the scope's consent screen text in
 * the realm (keycloak/realm-export.json; lib/services/grants/__tests__/preview-worker-consent.test.ts keeps the
 * two equal): Keycloak's account API names consented scopes by that text, which is how narrowing finds the
 * entry to drop.
 */
export const SCOPE_CATALOG: Record<string, { label: string; detail: string; consentText: string }> = {
  offline_access: {
    label: "Keep working while you are away (offline access)",
    detail:
      "Keycloak issues the worker a long-lived refresh token for you; it ends when you revoke it, or after the realm's idle/max lifetime.",
    consentText: "${offlineAccessScopeConsentText}",
  },
  "notes.read": {
    label: "Read your notes",
    detail: "Read-only access to the files in your Nextcloud Notes folder.",
    consentText: "Read your notes in Nextcloud (used to build your searchable notes index)",
  },
  "files.read": {
    label: "List and read your files",
    detail: "Read-only listing of your Nextcloud files and folders, with sizes.",
    consentText: "List your files and folders in Nextcloud (used for your files inventory)",
  },
};

/** The scopes of a grant that tasks use (offline_access, openid, profile… are not among them). */
export function taskScopesOf(scopes: readonly string[]): string[] {
  return scopes.filter((s) => s in SCOPE_CATALOG && s !== "offline_access");
}

/** The task types a set of granted scopes is enough for. */
export function tasksCoveredBy(scopes: readonly string[]): TTaskType[] {
  return TASK_TYPES.filter((t) => TASK_CATALOG[t].scopes.every((s) => scopes.includes(s)));
}

/**
 * The task types a grant can run. An OAuth grant covers what its scopes allow; a Nextcloud app password
 * has no scopes — Nextcloud enforces none for it — so it can run every task (and reach the whole account).
 */
export function tasksReachableBy(grant: { mechanism: string; scopes: readonly string[] }): TTaskType[] {
  return grant.mechanism === "app_password" ? [...TASK_TYPES] : tasksCoveredBy(grant.scopes);
}
