/**
 * A same-origin path to return to after sign-in, or "/" for anything else (absolute URLs, "//host",
 * backslashes, control characters), so a crafted link cannot send people to another site.
 */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || value.length > 512) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || /[\\\u0000-\u001f]/.test(value)) return "/";
  if (value.startsWith("/signin") || value.startsWith("/signed-out") || value.startsWith("/api/")) return "/";
  return value;
}

/** The sign-in page URL that brings the person back to `path` afterwards. */
export function signInUrlFor(path: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(safeCallbackUrl(path))}`;
}
