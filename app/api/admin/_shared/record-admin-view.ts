import "server-only";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { log } from "@/lib/logger";
import type { TCtx } from "@/lib/services/context";

/**
 * Admin views are part of the trail ("who looked at what"). A failure to record is logged and does not
 * block the view, matching how the token module reports events.
 */
export async function recordAdminView(ctx: TCtx, action: string, resource: string, details?: Record<string, unknown>): Promise<void> {
  await recordAuditEvent({
    actor: ctx.userSub,
    actorType: "admin",
    action,
    resource,
    outcome: "success",
    correlationId: ctx.correlationId,
    details: { username: ctx.username, ...details },
  }).catch((error: unknown) => log.error("could not audit an admin view", { error, correlationId: ctx.correlationId }));
}
