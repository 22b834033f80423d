import "server-only";
import { db } from "../../db";
import { AppError } from "../../errors";
import { auditRecorder } from "../../audit/record-event";
import { startLoginFlowV2 } from "../../nextcloud/login-flow-v2";
import { log } from "../../logger";
import type { TCtx } from "../context";
import { sealPendingLoginFlow } from "./pending-login-flow-cookie";

/** The device name Nextcloud shows under Devices & sessions for the worker's app password. */
export const APP_PASSWORD_CLIENT_NAME = "Nextcloud Delegation Dashboard (background worker)";

/**
 * Starts connecting the worker by Nextcloud app password (Login Flow v2) for the signed-in person: asks
 * Nextcloud for a flow and returns the page the person must open there, plus the sealed cookie that binds
 * the poll token to this person and sign-in. One app-password grant per person: Conflict while one is
 * active. Nothing is stored until pollAppPasswordFlow verified the answer.
 */
export async function startAppPasswordFlow(
  ctx: TCtx & { loginSessionId: string },
): Promise<{ loginUrl: string; cookie: { value: string; maxAge: number } }> {
  const active = await db().grant.findFirst({
    where: { userSub: ctx.userSub, status: "active", mechanism: "app_password" },
    select: { id: true },
  });
  if (active) throw new AppError("Conflict", "You already connected an app password; revoke it under My access first");
  const flow = await startLoginFlowV2(APP_PASSWORD_CLIENT_NAME);
  await auditRecorder({
    actor: ctx.userSub,
    actorType: "user",
    subject: ctx.userSub,
    action: "grant.app_password_flow_started",
    resource: "nextcloud:login-flow-v2",
    outcome: "success",
    correlationId: ctx.correlationId,
    mechanism: "app-password",
  }).catch((error) => log.error("audit failed", { error, correlationId: ctx.correlationId }));
  const cookie = sealPendingLoginFlow({ ...flow, userSub: ctx.userSub, loginSessionId: ctx.loginSessionId, startedAt: Date.now() });
  return { loginUrl: flow.loginUrl, cookie };
}
