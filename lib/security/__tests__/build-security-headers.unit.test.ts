import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { buildSecurityHeaders } from "../build-security-headers";
import { proxy } from "@/proxy";

describe("buildSecurityHeaders", () => {
  it("gives pages a nonce-based CSP without unsafe-inline scripts, and no HSTS over http", () => {
    const h = buildSecurityHeaders({ kind: "page", nonce: "abc123", https: false, formTargets: ["http://localhost:8180"] });
    expect(h["Content-Security-Policy"]).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic';");
    expect(h["Content-Security-Policy"]).toContain("style-src 'self' 'nonce-abc123';");
    expect(h["Content-Security-Policy"]).toContain("form-action 'self' http://localhost:8180;");
    expect(h["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(h["Content-Security-Policy"]).not.toContain("unsafe-eval");
    expect(h["Content-Security-Policy"]).not.toContain("upgrade-insecure-requests");
    expect(h["X-Frame-Options"]).toBe("DENY");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["Strict-Transport-Security"]).toBeUndefined();
  });

  it("adds HSTS and upgrade-insecure-requests only over https", () => {
    const h = buildSecurityHeaders({ kind: "page", nonce: "n", https: true });
    expect(h["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(h["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
    expect(buildSecurityHeaders({ kind: "api", nonce: "n", https: true })["Strict-Transport-Security"]).toBeDefined();
  });

  it("gives API answers a policy that allows nothing", () => {
    const csp = buildSecurityHeaders({ kind: "api", nonce: "n", https: false })["Content-Security-Policy"];
    expect(csp).toBe("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  });

  it("allows eval only in development, where React needs it", () => {
    expect(buildSecurityHeaders({ kind: "page", nonce: "n", https: false, dev: true })["Content-Security-Policy"]).toContain(
      "'unsafe-eval'",
    );
  });
});

describe("proxy", () => {
  const run = (url: string, headers: Record<string, string> = {}) => proxy(new NextRequest(url, { headers }));

  it("hands Next a fresh nonce through the request's CSP header and sets the same policy on the answer", () => {
    const a = run("http://localhost:3000/access");
    const b = run("http://localhost:3000/access");
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("ignores a nonce or policy the client sends", () => {
    const res = run("http://localhost:3000/", { "x-nonce": "attacker", "content-security-policy": "script-src 'nonce-attacker'" });
    expect(res.headers.get("x-middleware-request-x-nonce")).not.toBe("attacker");
    expect(res.headers.get("content-security-policy")).not.toContain("attacker");
  });

  it("uses the deny-all policy for API routes and HSTS when the public URL is https", () => {
    expect(run("http://localhost:3000/api/grants").headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(run("http://localhost:3000/api/grants").headers.get("strict-transport-security")).toBeNull();
    expect(run("http://localhost:3000/", { "x-forwarded-proto": "https" }).headers.get("strict-transport-security")).toContain("max-age=");
    const saved = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = "https://dashboard.example";
    try {
      expect(run("http://internal:3000/").headers.get("strict-transport-security")).toContain("max-age=");
    } finally {
      process.env.NEXTAUTH_URL = saved;
    }
  });
});
