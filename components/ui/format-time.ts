/** Deterministic UTC timestamps, identical on server and client (no hydration mismatch). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return iso.replace("T", " ").slice(0, 19) + " UTC";
}
