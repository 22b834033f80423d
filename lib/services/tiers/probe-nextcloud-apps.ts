import "server-only";
import { z } from "zod";
import { env } from "../../env";
import type { TTierProbeResult } from "./tier-types";
import { discardBody } from "../../nextcloud/discard-body";

const TIMEOUT_MS = 10_000;
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

const ZDiscoverySchema = z.object({ grant_types_supported: z.array(z.string()).optional() });

async function ask(path: string, init: RequestInit = {}): Promise<{ url: string; res: Response | null; error: string | null }> {
  const url = `${env().NEXTCLOUD_URL.replace(/\/$/, "")}${path}`;
  try {
    return { url, res: await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) }), error: null };
  } catch (err) {
    return { url, res: null, error: err instanceof Error ? err.message : "network error" };
  }
}

/**
 * Nextcloud's own OIDC provider app as the identity provider: its discovery document's
 * `grant_types_supported` decides. Background work needs `refresh_token` (offline access) and delegation
 * needs token exchange; the design note found only authorization_code and implicit. Not installed (404)
 * is reported as such. No credential is sent.
 */
export async function probeNextcloudOidcProvider(): Promise<TTierProbeResult> {
  const mechanism = "nextcloud-oidc-provider" as const;
  const { url, res, error } = await ask("/index.php/.well-known/openid-configuration", { headers: { accept: "application/json" } });
  const request = `GET ${url}`;
  if (!res)
    return {
      mechanism,
      status: "failing",
      evidence: { request, response: `Nextcloud unreachable: ${error}` },
      fix: `Check NEXTCLOUD_URL (${env().NEXTCLOUD_URL}).`,
    };
  if (res.status === 404) {
    await discardBody(res);
    return {
      mechanism,
      status: "not_detected",
      evidence: { request, response: "HTTP 404: the OIDC provider app is not installed" },
      fix: null,
    };
  }
  const parsed = ZDiscoverySchema.safeParse(await res.json().catch(() => undefined));
  if (!res.ok || !parsed.success) {
    return { mechanism, status: "failing", evidence: { request, response: `HTTP ${res.status}: not a discovery document` }, fix: null };
  }
  const grants = parsed.data.grant_types_supported ?? ["authorization_code", "implicit"];
  const refresh = grants.includes("refresh_token");
  const exchange = grants.includes(TOKEN_EXCHANGE);
  const missing = [
    refresh ? null : "refresh_token (no offline access: a background worker cannot keep acting)",
    exchange ? null : "token exchange (no delegation to an audience)",
  ].filter(Boolean);
  return {
    mechanism,
    status: missing.length ? "refused" : "works",
    evidence: {
      request,
      response: `HTTP ${res.status}; grant_types_supported: ${JSON.stringify(grants)}`,
      notes: missing.length
        ? [
            `Not an acceptable way to act on a user's behalf in the background: it lacks ${missing.join(" and ")}. Keycloak stays the identity provider.`,
          ]
        : ["It offers refresh and token exchange: it could serve as the identity provider for delegation."],
    },
    fix: null,
  };
}

/**
 * The Impersonate app: installed or not (its route answers, or 404 — asked without any credential, so it
 * can never impersonate anyone), and rejected by policy whatever the answer.
 */
export async function probeNextcloudImpersonateApp(): Promise<TTierProbeResult> {
  const mechanism = "nextcloud-impersonate-app" as const;
  const { url, res, error } = await ask("/index.php/apps/impersonate/user", { method: "POST" });
  const request = `POST ${url} without credentials (cannot impersonate; only shows whether the app answers)`;
  const body = res ? (await res.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ") : "";
  const response = !res
    ? `Nextcloud unreachable: ${error}`
    : res.status === 404
      ? "HTTP 404: the Impersonate app is not installed"
      : `HTTP ${res.status} ${body}: the Impersonate app is installed`;
  return {
    mechanism,
    status: "rejected_by_policy",
    evidence: {
      request,
      response,
      notes: [
        "Rejected by policy: it is session-based (an admin's browser session with cookies and a CSRF token, not a token a worker can hold), it needs admin credentials on the worker's side, and Nextcloud then logs every action as the target user — nobody can tell the worker acted.",
      ],
    },
    fix:
      res && res.status !== 404
        ? "Not needed by this product; consider disabling the Impersonate app (occ app:disable impersonate)."
        : null,
  };
}
