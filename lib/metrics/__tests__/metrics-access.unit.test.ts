import { describe, expect, it } from "vitest";
import { authorizeMetricsRequest } from "../authorize-metrics-request";
import { isLoopbackHost } from "../is-loopback-host";
import { metricLabel } from "../metric-label";
import { recordOAuthMetric } from "../record-oauth-metric";
import { processMetrics } from "../process-metrics";

describe("metrics access and labels", () => {
  it("needs the bearer token when one is configured, and loopback when none is", () => {
    const token = "0123456789abcdef-token";
    expect(authorizeMetricsRequest(`Bearer ${token}`, { token, boundToLoopback: false })).toEqual({ ok: true });
    expect(authorizeMetricsRequest(`Bearer ${token}x`, { token, boundToLoopback: true })).toMatchObject({ ok: false, status: 401 });
    expect(authorizeMetricsRequest(null, { token, boundToLoopback: true })).toMatchObject({ ok: false, status: 401 });
    expect(authorizeMetricsRequest(token, { token, boundToLoopback: true })).toMatchObject({ ok: false, status: 401 });
    expect(authorizeMetricsRequest(null, { boundToLoopback: true })).toEqual({ ok: true });
    expect(authorizeMetricsRequest(null, { boundToLoopback: false })).toMatchObject({ ok: false, status: 403 });
    expect(["127.0.0.1", "127.1.2.3", "::1", "localhost"].every(isLoopbackHost)).toBe(true);
    expect(["0.0.0.0", "::", "10.0.0.5", "worker.internal"].some(isLoopbackHost)).toBe(false);
  });

  it("keeps labels bounded and free of anything that is not an identifier", async () => {
    expect(metricLabel("invalid_grant")).toBe("invalid_grant");
    expect(metricLabel(null)).toBe("none");
    expect(metricLabel("Bearer eyJhbGciOi.eyJzdWIiOi.sig")).toBe("other");
    expect(metricLabel("alice@example.test")).toBe("other");
    expect(metricLabel("x".repeat(65))).toBe("other");
    recordOAuthMetric("token.refresh", "failure", "invalid_grant: Token is not active, user alice@example.test");
    recordOAuthMetric("nextcloud.request", "success", null);
    const text = await processMetrics().registry.metrics();
    expect(text).toContain('ncdd_oauth_token_requests_total{operation="refresh",outcome="failure",error_code="other"} 1');
    expect(text).not.toContain("alice");
    expect(text).not.toContain('operation="request"');
  });
});
