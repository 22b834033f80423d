/**
 * The audit page's filters as plain strings (what the URL, the form and the API share). Safe on both
 * server and client; the services validate the values.
 */
export const AUDIT_FILTER_KEYS = ["subject", "actor", "action", "outcome", "taskId", "from", "to", "q"] as const;

export type TAuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
export type TAuditFilterValues = Partial<Record<TAuditFilterKey, string>>;

/** Only the known, non-empty filter fields of a query (extra parameters are dropped, not rejected). */
export function pickAuditFilters(source: URLSearchParams | Record<string, string | string[] | undefined>): TAuditFilterValues {
  const get = (k: string) => (source instanceof URLSearchParams ? source.get(k) : ([source[k]].flat()[0] ?? null));
  const out: TAuditFilterValues = {};
  for (const k of AUDIT_FILTER_KEYS) {
    const v = get(k)?.trim();
    if (v) out[k] = v;
  }
  return out;
}

/** A query string for the filters plus extra parameters (cursor, format, bucket). */
export function auditQueryString(filters: TAuditFilterValues, extra: Record<string, string | null | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const k of AUDIT_FILTER_KEYS) if (filters[k]) p.set(k, filters[k]);
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  return p.toString();
}

/** Hourly bars for ranges up to a week (or no range: the last 48 hours), daily beyond. */
export function chartBucket(filters: TAuditFilterValues): "hour" | "day" {
  if (!filters.from) return "hour";
  const from = Date.parse(filters.from);
  const to = filters.to ? Date.parse(filters.to) : Date.now();
  return Number.isFinite(from) && Number.isFinite(to) && to - from <= 7 * 86_400_000 ? "hour" : "day";
}

export const AUDIT_PAGE_SIZE = 25;

export const auditQueryKeys = {
  page: (filters: TAuditFilterValues, cursor: string | null) => ["admin-audit", "page", filters, cursor] as const,
  chart: (filters: TAuditFilterValues) => ["admin-audit", "chart", filters] as const,
};
