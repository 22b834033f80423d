/** Query key of the audit trail's integrity status (server prefetch and client poll share it). */
export const AUDIT_TRUST_QUERY_KEY = ["admin-audit", "trust"] as const;
