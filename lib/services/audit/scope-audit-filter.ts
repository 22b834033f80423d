import { AppError } from "../../errors";
import type { TCtx } from "../context";
import type { TAuditFilter } from "./parse-audit-filter";

/**
 * Applies who-may-see-what to a filter: admins see every row; anyone else sees only events whose
 * subject is themselves (their "what it did for me" feed). Asking for someone else's events is refused
 * rather than silently narrowed, so a wrong link cannot look like "no activity".
 */
export function scopeAuditFilter<F extends TAuditFilter>(ctx: TCtx, filter: F): F {
  if (ctx.isAdmin) return filter;
  if (filter.subject !== undefined && filter.subject !== ctx.userSub) {
    throw new AppError("Forbidden", "Only admins can see audit events about other users.");
  }
  return { ...filter, subject: ctx.userSub };
}
