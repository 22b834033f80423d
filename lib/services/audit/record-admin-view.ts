import "server-only";
import type { TAuditAction } from "../../audit/audit-kinds";
import { recordAuditEvent } from "../../audit/record-event";
import type { TCtx } from "../context";

/**
 * Admin views are part of the trail ("who looked at what"). Recorded before the answer leaves; a failed
 * write refuses the view (the audit failure policy in lib/audit/record-event.ts: no unrecorded admin reads).
 */
export async function recordAdminView(ctx: TCtx, action: TAuditAction, resource: string, details?: Record<string, unknown>): Promise<void> {
  await recordAuditEvent({
    actor: ctx.userSub,
    actorType: "admin",
    action,
    resource,
    outcome: "success",
    correlationId: ctx.correlationId,
    details: { username: ctx.username, ...details },
  });
}
