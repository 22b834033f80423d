const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

const RTF = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/**
 * "3 minutes ago", "in 2 hours", "just now": how far `iso` is from `now`, in the largest whole unit.
 * Pure (the caller passes `now`), so server and browser agree when they pass the same instant.
 */
export function formatRelativeTime(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  if (!Number.isFinite(diff)) return "—";
  if (Math.abs(diff) < 45_000) return diff > 0 ? "in a moment" : "just now";
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === "minute") return RTF.format(Math.round(diff / ms), unit);
  }
  return "just now";
}
