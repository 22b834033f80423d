import "server-only";
import type { TAuditInput } from "../audit/types";
import { providerErrorCode, toOAuthError } from "./oauth-errors";
import { reportOAuthEvent, type TOAuthCallContext } from "./report-oauth-event";

type TEventBase = Pick<TAuditInput, "actor" | "action" | "mechanism"> & { details?: Record<string, unknown> };
type TSuccessFields = Partial<Pick<TAuditInput, "subject" | "details">>;

/**
 * Every lib/oauth call has one shape: call Keycloak, report success (with what the answer says) or
 * failure (with Keycloak's error code, verbatim), and on failure throw the typed OAuth error. Reporting
 * never changes the outcome (reportOAuthEvent logs and counts a failed audit write).
 */
export async function reportedOAuthCall<T>(
  ctx: TOAuthCallContext,
  event: TEventBase,
  call: () => Promise<T>,
  onSuccess: (result: T) => TSuccessFields = () => ({}),
  onFailure: (error: Error) => TSuccessFields = () => ({}),
): Promise<T> {
  let result: T;
  try {
    result = await call();
  } catch (err) {
    const e = toOAuthError(event.action, err);
    await reportOAuthEvent(ctx, { ...event, outcome: "failure", errorCode: providerErrorCode(e), ...mergeDetails(event, onFailure(e)) });
    throw e;
  }
  await reportOAuthEvent(ctx, { ...event, outcome: "success", ...mergeDetails(event, onSuccess(result)) });
  return result;
}

function mergeDetails(event: TEventBase, extra: TSuccessFields): TSuccessFields {
  const details = event.details || extra.details ? { ...event.details, ...extra.details } : undefined;
  return { ...extra, ...(details ? { details } : {}) };
}
