import "server-only";
import { AppError } from "../errors";
import { recordNextcloudRequestMetric } from "../metrics/record-nextcloud-request-metric";
import { reportOAuthEvent, type TOAuthCallContext } from "../oauth/report-oauth-event";
import type { TNextcloudRequest } from "../oauth/nextcloud-client";
import type { TAuditAction } from "../audit/audit-kinds";
import type { TAppPasswordCredential } from "./app-password-types";
import { nextcloudPath } from "./login-flow-v2";

export const APP_PASSWORD_MECHANISM = "app-password" as const;

export type TAppPasswordCallContext = TOAuthCallContext & {
  /** Who sends the request (the worker client's id, or the person for dashboard-side checks). */
  actor: string;
  actorType?: "client" | "user" | "admin" | "system";
  /** The person's own Nextcloud account: an app password of any other account is refused before sending. */
  expectedLoginName: string;
  /** Audit action; default "nextcloud.request". */
  action?: TAuditAction;
};

/**
 * The only way an app password is sent to Nextcloud (HTTP Basic, `loginName:appPassword`). Like the
 * bearer client's service-account guard, it refuses before anything leaves when the credential is not the
 * person's own: a login name other than their Nextcloud account, or a Keycloak service account's account
 * (`service-account-…`, what bearer provisioning makes of a client_credentials token). Every request and
 * refusal is audited with the person as subject and mechanism "app-password".
 */
export async function nextcloudAppPasswordRequest(
  credential: TAppPasswordCredential,
  req: TNextcloudRequest,
  ctx: TAppPasswordCallContext,
): Promise<Response> {
  if (!req.path.startsWith("/") || req.path.startsWith("//")) throw new AppError("BadInput", "Nextcloud path must start with a single '/'");
  const url = nextcloudPath(req.path);
  const resource = `${req.method} ${req.path}`;
  const action: TAuditAction = ctx.action ?? "nextcloud.request";
  const base = { actor: ctx.actor, actorType: ctx.actorType ?? "client", action, resource, mechanism: APP_PASSWORD_MECHANISM } as const;

  const refusal =
    credential.loginName !== ctx.expectedLoginName
      ? {
          code: "not_own_account",
          reason: `the app password belongs to Nextcloud account "${credential.loginName}", not to the person's own account`,
        }
      : /^service-account-/i.test(credential.loginName)
        ? { code: "service_account", reason: "the app password belongs to a service account, not a person" }
        : null;
  if (refusal) {
    recordNextcloudRequestMetric(req.method, "refused");
    await reportOAuthEvent(ctx, {
      ...base,
      action: refusal.code === "service_account" ? "service_account.refused" : action,
      outcome: "refused",
      errorCode: refusal.code,
      details: { reason: refusal.reason },
    });
    throw new AppError(
      refusal.code === "service_account" ? "ServiceAccountRefused" : "Forbidden",
      `Refused to call Nextcloud: ${refusal.reason}`,
      { reason: refusal.code },
    );
  }

  let res: Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers: {
        ...req.headers,
        authorization: `Basic ${Buffer.from(`${credential.loginName}:${credential.appPassword}`).toString("base64")}`,
      },
      body: req.body ?? undefined,
      redirect: "manual",
    });
  } catch (err) {
    recordNextcloudRequestMetric(req.method, "network");
    await reportOAuthEvent(ctx, { ...base, outcome: "failure", errorCode: "network" });
    throw new AppError("ProviderError", `Nextcloud unreachable: ${err instanceof Error ? err.message : "network error"}`);
  }
  recordNextcloudRequestMetric(req.method, res.status);
  await reportOAuthEvent(ctx, {
    ...base,
    outcome: res.ok ? "success" : "failure",
    errorCode: res.ok ? null : String(res.status),
    details: { status: res.status },
  });
  return res;
}
