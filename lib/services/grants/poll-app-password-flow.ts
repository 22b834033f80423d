import "server-only";
import { AppError } from "../../errors";
import { auditRecorder } from "../../audit/record-event";
import { log } from "../../logger";
import { workerClient } from "../../oauth/get-oidc-config";
import type { TAppPasswordCredential } from "../../nextcloud/app-password-types";
import { deleteAppPassword, readAppPasswordAccount } from "../../nextcloud/delete-app-password";
import { pollLoginFlowV2 } from "../../nextcloud/login-flow-v2";
import { nextcloudAccountOf } from "../../nextcloud/nextcloud-account-of";
import { storeAppPasswordGrant } from "../../grants/store-app-password-grant";
import type { TCtx } from "../context";
import { LOGIN_FLOW_TIMEOUT_MS, type TPendingLoginFlow } from "./pending-login-flow-cookie";

export type TAppPasswordFlowState =
  | { state: "waiting"; loginUrl: string }
  | { state: "connected"; grantId: string; loginName: string }
  | {
      state: "failed";
      reason: "no_flow" | "timed_out" | "other_account" | "already_connected" | "provider_error";
      detail: string;
      appPasswordDeleted: boolean | null;
    };

/**
 * One poll of the person's Login Flow v2. Stores an app-password grant only when: the flow was started by
 * THIS person in THIS sign-in, it has not timed out, Nextcloud's answer is well-formed, its loginName is
 * the person's own Nextcloud account AND the app password signs in as that account (OCS user id). In
 * every other case nothing is stored, and an app password Nextcloud handed over anyway is deleted there
 * at once (its 401 afterwards checked), so no credential for another account — or an unwanted one — lives on.
 * `finished` tells the caller to drop the flow (cookie).
 */
export async function pollAppPasswordFlow(
  ctx: TCtx & { loginSessionId: string },
  pending: TPendingLoginFlow | null,
  now = Date.now(),
): Promise<TAppPasswordFlowState & { finished: boolean }> {
  const expected = nextcloudAccountOf(ctx);
  const audit = (outcome: "success" | "refused" | "failure", details: Record<string, unknown>, errorCode?: string) =>
    auditRecorder({
      actor: ctx.userSub,
      actorType: "user",
      subject: ctx.userSub,
      action: "grant.consent",
      resource: "nextcloud:login-flow-v2",
      outcome,
      errorCode: errorCode ?? null,
      correlationId: ctx.correlationId,
      mechanism: "app-password",
      details,
    }).catch((error) => log.error("audit failed", { error, correlationId: ctx.correlationId }));
  const failed = (
    reason: Extract<TAppPasswordFlowState, { state: "failed" }>["reason"],
    detail: string,
    appPasswordDeleted: boolean | null = null,
  ) => ({ state: "failed", reason, detail, appPasswordDeleted, finished: true }) as const;

  if (!pending || pending.userSub !== ctx.userSub || pending.loginSessionId !== ctx.loginSessionId) {
    return failed("no_flow", "No Nextcloud login flow was started from this sign-in. Nothing was stored.");
  }
  const timedOut = now - pending.startedAt > LOGIN_FLOW_TIMEOUT_MS;

  let answer;
  try {
    answer = await pollLoginFlowV2(pending);
  } catch (error) {
    const detail = error instanceof AppError ? error.message : "Nextcloud's answer could not be read";
    await audit("failure", { reason: detail }, "login_flow_poll");
    return failed("provider_error", `${detail}. Nothing was stored.`);
  }
  if (answer.state === "waiting") {
    if (!timedOut) return { state: "waiting", loginUrl: pending.loginUrl, finished: false };
    await audit("refused", { reason: "the login flow timed out before access was granted in Nextcloud" }, "timeout");
    return failed("timed_out", "Nobody granted access in Nextcloud within 20 minutes. Nothing was stored.");
  }

  const credential = answer.credential;
  const refuse = async (reason: "timed_out" | "other_account" | "already_connected", detail: string) => {
    const deleted = await discard(credential, ctx);
    await audit("refused", { reason: detail, loginName: credential.loginName, appPasswordDeleted: deleted }, reason);
    return failed(
      reason,
      `${detail} Nothing was stored${deleted ? ", and the app password Nextcloud issued was deleted there" : "; the app password Nextcloud issued could not be deleted — remove it under Devices & sessions in Nextcloud"}.`,
      deleted,
    );
  };
  if (timedOut) return refuse("timed_out", "Access was granted in Nextcloud after the flow timed out.");
  if (credential.loginName !== expected) {
    return refuse("other_account", `Nextcloud connected the account "${credential.loginName}", but you are "${expected}" there.`);
  }
  let account;
  try {
    account = await readAppPasswordAccount(credential, {
      recorder: auditRecorder,
      correlationId: ctx.correlationId,
      subject: ctx.userSub,
      actor: ctx.userSub,
      actorType: "user",
      expectedLoginName: expected,
      action: "grant.app_password_verified",
    });
  } catch (error) {
    const detail = error instanceof AppError ? error.message : "Nextcloud could not be asked";
    const deleted = await discard(credential, ctx);
    await audit("failure", { reason: detail, appPasswordDeleted: deleted }, "verify");
    return failed("provider_error", `${detail}. Nothing was stored.`, deleted);
  }
  if (account.id !== expected) {
    return refuse(
      "other_account",
      `The app password signs in to Nextcloud as "${account.id ?? `nobody (HTTP ${account.status})`}", not as your account "${expected}".`,
    );
  }
  try {
    const { grantId } = await storeAppPasswordGrant({ userSub: ctx.userSub, credential, correlationId: ctx.correlationId });
    await audit("success", { grantId, loginName: credential.loginName });
    return { state: "connected", grantId, loginName: credential.loginName, finished: true };
  } catch (error) {
    if (error instanceof AppError && error.code === "Conflict")
      return refuse("already_connected", "You already had an app password connected.");
    await discard(credential, ctx);
    throw error;
  }
}

/** Deletes an app password we will not keep, at Nextcloud, and says whether Nextcloud now refuses it. */
async function discard(credential: TAppPasswordCredential, ctx: TCtx): Promise<boolean> {
  try {
    const deleted = await deleteAppPassword(credential, {
      recorder: auditRecorder,
      correlationId: ctx.correlationId,
      subject: ctx.userSub,
      actor: workerClient().clientId,
      // The guard must let this one through: deleting another account's app password is the point.
      expectedLoginName: credential.loginName,
    });
    return deleted.proof !== null;
  } catch (error) {
    log.warn("could not delete a refused app password at Nextcloud", { error, correlationId: ctx.correlationId });
    return false;
  }
}
