/** The small readings every token response and JWT needs, written once (RFC 6749 §5.1, RFC 7519 §4.1.3). */

/** `aud` is a string or an array of strings; absent means none. */
export function audienceOf(aud: unknown): string[] {
  if (Array.isArray(aud)) return aud.map(String);
  return typeof aud === "string" && aud ? [aud] : [];
}

/** `scope` is one space-separated string; absent means none. */
export function scopesOf(scope: unknown): string[] {
  return typeof scope === "string" ? scope.split(" ").filter(Boolean) : [];
}

/** When the access token expires; a response without `expires_in` is treated as one minute (never "forever"). */
export function accessExpiry(res: { expiresIn(): number | undefined }, now = Date.now()): Date {
  return new Date(now + (res.expiresIn() ?? 60) * 1000);
}

/** Keycloak's `refresh_expires_in` (the offline session's idle expiry); 0 or absent means it reports none. */
export function refreshExpiry(res: object, now = Date.now()): Date | null {
  const seconds = Number((res as { refresh_expires_in?: unknown }).refresh_expires_in ?? 0);
  return seconds > 0 ? new Date(now + seconds * 1000) : null;
}
