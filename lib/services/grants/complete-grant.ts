import "server-only";
import { redeemConsentCode } from "../../oauth/redeem-consent-code";
import { storeConsentedGrant, type TGrantChange } from "../../grants/store-consented-grant";
import { attemptRevocation } from "../../grants/confirm-revocation";
import { dropConsentedScopes } from "../../oauth/keycloak-account-api";
import { loginAccessToken } from "../../auth/login-session-token";
import { SCOPE_CATALOG } from "../../tasks/task-catalog";
import { revokeToken } from "../../oauth/revoke-token";
import { workerClient } from "../../oauth/get-oidc-config";
import { auditRecorder, recordObservedEvent } from "../../audit/record-event";
import { AppError } from "../../errors";
import { log } from "../../logger";
import type { TCtx } from "../context";
import type { TPendingConsent } from "./pending-consent-cookie";

export type TCompleteGrantResult =
  | {
      ok: true;
      grantId: string;
      scopes: string[];
      change: TGrantChange;
      droppedScopes: string[];
      stoppedTasks: string[];
      consentNarrowed: boolean | null;
    }
  | { ok: false; reason: "no_pending_request" | "other_person" | "declined" | "state_mismatch" | "provider_error"; detail?: string };

/**
 * Finishes a consent at the callback. Stores a grant only when: a pending request sealed for THIS
 * signed-in person and login session exists (one use), state/PKCE/nonce verify (openid-client), and the
 * person who consented at Keycloak is the person signed in here. Otherwise nothing is stored; an offline
 * token obtained for someone else is revoked at once. Granted scopes come from the token response.
 * The consent becomes THE grant of this person for the worker (created, widened or narrowed in place);
 * after narrowing, Keycloak's consent is narrowed too, in the person's name, so the account console
 * lists only what remains.
 */
export async function completeGrant(
  ctx: TCtx & { loginSessionId: string },
  pending: TPendingConsent | null,
  callbackUrl: URL,
): Promise<TCompleteGrantResult> {
  const audit = (outcome: "success" | "refused" | "failure", details: Record<string, unknown>, errorCode?: string) =>
    recordObservedEvent({
      actor: ctx.userSub,
      actorType: "user",
      subject: ctx.userSub,
      action: "grant.consent",
      resource: `client:${workerClient().clientId}`,
      outcome,
      errorCode: errorCode ?? null,
      correlationId: ctx.correlationId,
      mechanism: "offline-access",
      details,
    });

  if (!pending || pending.userSub !== ctx.userSub || pending.loginSessionId !== ctx.loginSessionId) {
    await audit("refused", { reason: "no pending consent request for this sign-in" });
    return { ok: false, reason: "no_pending_request" };
  }
  if (callbackUrl.searchParams.get("state") !== pending.checks.state) {
    await audit("refused", { reason: "state mismatch" });
    return { ok: false, reason: "state_mismatch" };
  }
  const providerError = callbackUrl.searchParams.get("error");
  if (providerError) {
    await audit("refused", { reason: "declined at Keycloak" }, providerError);
    return { ok: false, reason: "declined", detail: providerError };
  }

  let redeemed;
  try {
    redeemed = await redeemConsentCode(callbackUrl, pending.checks);
  } catch (error) {
    const message = error instanceof AppError ? error.message : "the consent response could not be verified";
    await audit("failure", { reason: message }, (error as { error?: string }).error);
    return { ok: false, reason: "provider_error", detail: message };
  }

  if (redeemed.sub !== ctx.userSub) {
    // Someone else logged in at Keycloak: their token must not stay alive anywhere.
    await revokeToken(redeemed.offlineToken, "refresh_token", {
      recorder: auditRecorder,
      correlationId: ctx.correlationId,
      subject: redeemed.sub,
    }).catch((error) => log.warn("could not revoke a foreign offline token", { error, correlationId: ctx.correlationId }));
    await audit("refused", { reason: "the person who consented at Keycloak is not the person signed in", consentedSubject: redeemed.sub });
    return { ok: false, reason: "other_person" };
  }

  const stored = await storeConsentedGrant(redeemed, ctx.correlationId);
  await audit("success", {
    grantId: stored.grantId,
    change: stored.change,
    scopes: redeemed.grantedScopes,
    requested: pending.checks.requestedScopes,
    task: pending.taskType,
  });
  if (stored.supersededRevocationId) {
    await attemptRevocation(stored.supersededRevocationId, ctx.correlationId).catch((error) =>
      log.warn("superseded token revocation deferred to the outbox", { error, correlationId: ctx.correlationId }),
    );
  }
  let consentNarrowed: boolean | null = null;
  if (stored.droppedScopes.length) {
    try {
      const token = await loginAccessToken(ctx.loginSessionId, ctx.userSub);
      await dropConsentedScopes(
        token,
        workerClient().clientId,
        stored.droppedScopes.map((s) => SCOPE_CATALOG[s]!.consentText),
      );
      consentNarrowed = true;
    } catch (error) {
      log.warn("could not narrow the consent at Keycloak", { error, correlationId: ctx.correlationId });
      consentNarrowed = false;
    }
  }
  return {
    ok: true,
    grantId: stored.grantId,
    scopes: redeemed.grantedScopes,
    change: stored.change,
    droppedScopes: stored.droppedScopes,
    stoppedTasks: stored.stoppedTasks,
    consentNarrowed,
  };
}
