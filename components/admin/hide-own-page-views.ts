import type { TAuditEventRow } from "@/lib/services/audit/read-audit-rows";

/** What an admin's looking leaves in the trail: page loads and searches of the admin pages. */
export const PAGE_VIEW_ACTIONS = new Set(["audit.view", "audit.search", "tiers.view"]);

/**
 * Folds away the viewing admin's own page views (they would otherwise crowd the top after every visit),
 * unless `show`; other admins' views and everything else stay. Returns the rows to show and how many were hidden.
 */
export function hideOwnPageViews(rows: TAuditEventRow[], adminSub: string, show: boolean): { rows: TAuditEventRow[]; hidden: number } {
  if (show) return { rows, hidden: 0 };
  const kept = rows.filter((r) => !(r.actor === adminSub && PAGE_VIEW_ACTIONS.has(r.action)));
  return { rows: kept, hidden: rows.length - kept.length };
}
