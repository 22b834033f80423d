/** Cookie that tells the consent callback where to land (set by a page that starts the grant flow). */
export const GRANT_RETURN_COOKIE = "ncdd.grant-return-to";

/** Pages the consent callback may return to; anything else is ignored (no open redirect). */
export const GRANT_RETURN_ALLOWED = ["/access", "/tasks", "/admin/tiers"] as const;

/** The allow-listed return path for a cookie value, or null (absent or not allowed). */
export function pickGrantReturnTo(value: string | null | undefined): (typeof GRANT_RETURN_ALLOWED)[number] | null {
  return GRANT_RETURN_ALLOWED.find((p) => p === value) ?? null;
}
