/** The TanStack Query key of the Workers page, shared by the server page (prefetch) and the client poll. */
export const WORKERS_QUERY_KEY = ["admin-workers"] as const;
