/** The TanStack Query key of the tier status, shared by the server page (prefetch) and the client poll. */
export const TIERS_QUERY_KEY = ["admin-tiers"] as const;
