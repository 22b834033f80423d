import { createHash, timingSafeEqual } from "node:crypto";

export type TMetricsAccess = { ok: true } | { ok: false; status: 401 | 403; error: string };

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * The one rule for every metrics endpoint. With METRICS_TOKEN set, a scrape must send
 * `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). Without it, metrics are served
 * only by a listener bound to loopback (the worker's default), and refused everywhere else — the app's
 * port is public, so the app needs the token.
 */
export function authorizeMetricsRequest(
  authorization: string | null | undefined,
  opts: { token?: string; boundToLoopback: boolean },
): TMetricsAccess {
  if (!opts.token) {
    return opts.boundToLoopback
      ? { ok: true }
      : { ok: false, status: 403, error: "Metrics are disabled on a non-loopback address until METRICS_TOKEN is set." };
  }
  const match = /^Bearer (.+)$/.exec(authorization?.trim() ?? "");
  if (!match || !timingSafeEqual(digest(match[1]!), digest(opts.token))) {
    return { ok: false, status: 401, error: "A bearer token (METRICS_TOKEN) is required." };
  }
  return { ok: true };
}
