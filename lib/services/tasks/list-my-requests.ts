import "server-only";
import type { TCtx } from "../context";
import { searchAuditEvents } from "../audit/search-audit-events";

export type TRequestRow = { at: string; method: string; path: string; status: number | null; outcome: string; actor: string; taskId: string | null };

/**
 * "What it did for me": the newest Nextcloud requests made on the caller's behalf, read from the audit
 * trail through its own permission check (a person sees only events whose subject is themselves).
 */
export async function listMyRequests(ctx: TCtx, limit = 25): Promise<TRequestRow[]> {
  const page = await searchAuditEvents(ctx, { action: "nextcloud.request", limit });
  return page.rows.map((r) => {
    const [method = "", ...rest] = (r.resource ?? "").split(" ");
    const status = (r.details as { status?: unknown } | null)?.status;
    return {
      at: r.at,
      method,
      path: rest.join(" "),
      status: typeof status === "number" ? status : null,
      outcome: r.errorCode ? `${r.outcome} (${r.errorCode})` : r.outcome,
      actor: r.actor,
      taskId: r.taskId,
    };
  });
}
