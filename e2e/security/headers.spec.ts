import { expect, test, type APIResponse } from "@playwright/test";
import { storageStateOf } from "../users";

test.use({ storageState: storageStateOf("alice") });

function expectSecurityHeaders(res: APIResponse, what: string) {
  const h = res.headers();
  expect(h["content-security-policy"], what).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"], what).toContain("base-uri 'none'");
  expect(h["x-frame-options"], what).toBe("DENY");
  expect(h["x-content-type-options"], what).toBe("nosniff");
  expect(h["referrer-policy"], what).toBe("same-origin");
  expect(h["permissions-policy"], what).toContain("camera=()");
  expect(h["cross-origin-opener-policy"], what).toBe("same-origin");
  // Served over plain http here: no HSTS (it would pin https on every localhost port).
  expect(h["strict-transport-security"], what).toBeUndefined();
}

test("pages carry a strict CSP with a fresh nonce that is on every script, and the other security headers", async ({ request }) => {
  const nonces: string[] = [];
  for (const path of ["/", "/access", "/tasks", "/signin", "/signed-out", "/no-such-page"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expectSecurityHeaders(res, path);
    const csp = res.headers()["content-security-policy"]!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'(;|$)/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)![1]!;
    nonces.push(nonce);
    if (res.status() === 200 || res.status() === 404) {
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, `${path}: ${tag}`).toContain(`nonce="${nonce}"`);
    }
  }
  expect(new Set(nonces).size).toBe(nonces.length);
});

test("API routes carry a deny-all CSP and the same headers, on success and on errors", async ({ request, playwright, baseURL }) => {
  for (const path of ["/api/grants", "/api/tasks", "/api/auth/session", "/api/admin/audit", "/api/admin/audit?q=%00"]) {
    const res = await request.get(path);
    expectSecurityHeaders(res, path);
    expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
  }
  const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  for (const [method, path] of [
    ["GET", "/api/grants"],
    ["POST", "/api/backchannel-logout"],
    ["GET", "/api/admin/tiers"],
  ] as const) {
    const res = await anonymous.fetch(path, { method });
    expect(res.status()).toBeGreaterThanOrEqual(400);
    expectSecurityHeaders(res, `${method} ${path} (signed out)`);
  }
  await anonymous.dispose();
});

test("build assets are served with nosniff", async ({ request }) => {
  const html = await (await request.get("/signin")).text();
  const asset = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
  expect(asset).toBeTruthy();
  const res = await request.get(asset!);
  expect(res.status()).toBe(200);
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
});
