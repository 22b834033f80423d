import "server-only";
import { env } from "../../env";
import { probeCapabilities } from "./probe-capabilities";
import type { TTierProbeResult } from "./tier-types";

const OCS_PATH = "/ocs/v2.php/cloud/user?format=json";
const TIMEOUT_MS = 10_000;

type TOcsAnswer = { ocs?: { meta?: { status?: string; statuscode?: number; message?: string }; data?: { id?: string } } };

/**
 * Tier 0: admin BasicAuth to Nextcloud. Reports whether NEXTCLOUD_ADMIN_USER/_PASSWORD are set and, if
 * so, makes one live OCS "who am I" call with them. It is always presented as "works, not recommended":
 * every action would be the admin's, not the user's. The password never appears in the evidence.
 */
export async function probeBasicAuthTier(): Promise<TTierProbeResult> {
  const { NEXTCLOUD_URL, NEXTCLOUD_ADMIN_USER: user, NEXTCLOUD_ADMIN_PASSWORD: password } = env();
  const mechanism = "tier0-basic-auth" as const;
  const notRecommended =
    "Not recommended: with admin BasicAuth every request is made as the admin, so Nextcloud cannot tell on whose behalf the worker acted. Prefer Tier 2 (token exchange) with offline access.";
  if (!user || !password) {
    return {
      mechanism,
      status: "not_configured",
      evidence: {
        request: "NEXTCLOUD_ADMIN_USER / NEXTCLOUD_ADMIN_PASSWORD",
        response: "not set: no admin BasicAuth is configured",
        notes: [notRecommended],
      },
      fix: null,
    };
  }
  const url = new URL(NEXTCLOUD_URL.replace(/\/$/, "") + OCS_PATH);
  const request = `GET ${url.origin}${url.pathname}${url.search} with Basic auth as "${user}" (password not shown)`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
        "ocs-apirequest": "true",
        accept: "application/json",
      },
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return {
      mechanism,
      status: "failing",
      evidence: {
        request,
        response: `Nextcloud unreachable: ${err instanceof Error ? err.message : "network error"}`,
        notes: [notRecommended],
      },
      fix: `Check NEXTCLOUD_URL (${NEXTCLOUD_URL}) — or unset NEXTCLOUD_ADMIN_USER/_PASSWORD, since Tier 0 is not recommended.`,
    };
  }
  const body = (await res.json().catch(() => ({}))) as TOcsAnswer;
  const meta = body.ocs?.meta;
  const response = `HTTP ${res.status}; OCS ${meta?.status ?? "?"} ${meta?.statuscode ?? ""} ${meta?.message ?? ""}`
    .replace(/\s+/g, " ")
    .trim();
  if (res.ok && meta?.status === "ok") {
    const base = NEXTCLOUD_URL.replace(/\/$/, "");
    const capabilities = await probeCapabilities(user, (req) =>
      fetch(base + req.path, {
        method: req.method,
        headers: { ...req.headers, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }),
    );
    return {
      mechanism,
      status: "works",
      evidence: { request, response: `${response}; signed in as "${body.ocs?.data?.id ?? user}"`, notes: [notRecommended], capabilities },
      fix: "Works, but remove NEXTCLOUD_ADMIN_USER/_PASSWORD once Tier 2 works: admin credentials are an identity of their own.",
    };
  }
  return {
    mechanism,
    status: "failing",
    evidence: { request, response, notes: [notRecommended] },
    fix: "Nextcloud refused the admin credentials: correct NEXTCLOUD_ADMIN_USER/_PASSWORD, or unset them (Tier 0 is not recommended).",
  };
}
