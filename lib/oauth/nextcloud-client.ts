import "server-only";
import { decodeJwt, type JWTPayload } from "jose";
import { env } from "../env";
import { AppError } from "../errors";
import { isServiceAccountClaims } from "./exchange-token";
import { reportOAuthEvent, type TOAuthCallContext } from "./report-oauth-event";
import { recordNextcloudRequestMetric } from "../metrics/record-nextcloud-request-metric";
import type { TUserAccessToken } from "./token-types";
import type { TAuditMechanism } from "../audit/audit-kinds";
import { audienceOf } from "./token-response-fields";

export type TNextcloudRequest = {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "PROPFIND" | "MKCOL" | "REPORT" | "SEARCH";
  /** Path below NEXTCLOUD_URL, starting with "/" (e.g. "/ocs/v2.php/cloud/user?format=json"). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Blob | ArrayBuffer | null;
};

export type TNextcloudCallContext = TOAuthCallContext & {
  mechanism?: TAuditMechanism;
  /** Extra client ids whose tokens must never reach Nextcloud, on top of Keycloak's own markers. */
  serviceAccountClientIds?: readonly string[];
};

/**
 * The only way a bearer token is sent to Nextcloud. The type accepts user-bound tokens only; at run
 * time, before anything leaves the process, it refuses a token that speaks for a client rather than a
 * person (Nextcloud's bearer provisioning would turn it into a user) or that is not meant for Nextcloud.
 * Every request and every refusal is reported to the audit recorder, with the user as subject and the
 * token's `azp` as actor.
 */
export async function nextcloudRequest(token: TUserAccessToken, req: TNextcloudRequest, ctx: TNextcloudCallContext): Promise<Response> {
  const url = nextcloudUrl(req.path);
  const claims = readClaims(token);
  const actor = typeof claims?.azp === "string" ? claims.azp : "unknown-client";
  const resource = `${req.method} ${req.path}`;
  const mechanism = ctx.mechanism ?? "user-token";

  const refusal = refusalReason(claims, ctx.serviceAccountClientIds ?? []);
  if (refusal) {
    const serviceAccount = refusal.kind === "service-account";
    recordNextcloudRequestMetric(req.method, "refused");
    await reportOAuthEvent(ctx, {
      actor,
      action: serviceAccount ? "service_account.refused" : "nextcloud.request",
      resource,
      outcome: "refused",
      errorCode: refusal.code,
      mechanism,
      subject: typeof claims?.sub === "string" ? claims.sub : null,
      details: { reason: refusal.reason },
    });
    throw new AppError(serviceAccount ? "ServiceAccountRefused" : "Forbidden", `Refused to call Nextcloud: ${refusal.reason}`, {
      reason: refusal.code,
    });
  }

  const subject = claims!.sub as string;
  let res: Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers: { ...req.headers, authorization: `Bearer ${token}` },
      body: req.body ?? undefined,
      redirect: "manual",
    });
  } catch (err) {
    recordNextcloudRequestMetric(req.method, "network");
    await reportOAuthEvent(ctx, {
      actor,
      action: "nextcloud.request",
      resource,
      outcome: "failure",
      errorCode: "network",
      mechanism,
      subject,
    });
    throw new AppError("ProviderError", `Nextcloud unreachable: ${err instanceof Error ? err.message : "network error"}`);
  }
  recordNextcloudRequestMetric(req.method, res.status);
  await reportOAuthEvent(ctx, {
    actor,
    action: "nextcloud.request",
    resource,
    outcome: res.ok ? "success" : "failure",
    errorCode: res.ok ? null : String(res.status),
    mechanism,
    subject,
    details: { status: res.status },
  });
  return res;
}

/** Resolves a path against NEXTCLOUD_URL and refuses anything that would leave that origin. */
function nextcloudUrl(path: string): URL {
  if (!path.startsWith("/") || path.startsWith("//")) throw new AppError("BadInput", "Nextcloud path must start with a single '/'");
  const base = new URL(env().NEXTCLOUD_URL);
  const url = new URL(base.pathname.replace(/\/$/, "") + path, base);
  if (url.origin !== base.origin) throw new AppError("BadInput", "Nextcloud path leaves the Nextcloud origin");
  return url;
}

function readClaims(token: string): JWTPayload | null {
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

type TRefusal = { kind: "service-account" | "audience" | "malformed"; code: string; reason: string };

function refusalReason(claims: JWTPayload | null, flaggedClients: readonly string[]): TRefusal | null {
  if (!claims) return { kind: "malformed", code: "not_a_jwt", reason: "the token is not a JWT" };
  if (isServiceAccountClaims(claims)) {
    return { kind: "service-account", code: "service_account", reason: "the token belongs to a service account, not a user" };
  }
  if (typeof claims.azp === "string" && flaggedClients.includes(claims.azp)) {
    return { kind: "service-account", code: "service_account", reason: `client "${claims.azp}" is flagged as a service account` };
  }
  if (typeof claims.sub !== "string" || claims.sub.length === 0) {
    return { kind: "service-account", code: "no_user_subject", reason: "the token has no user subject" };
  }
  const aud = audienceOf(claims.aud);
  if (!aud.includes(env().NEXTCLOUD_AUDIENCE)) {
    return { kind: "audience", code: "audience_mismatch", reason: `the token's audience does not include "${env().NEXTCLOUD_AUDIENCE}"` };
  }
  return null;
}
