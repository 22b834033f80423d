import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The worker and scripts import lib/ directly; keep server-only packages out of the bundle.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/client", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with HTTP 403 for non-admins on admin pages.
  experimental: { authInterrupts: true },
  // Every other answer gets its security headers (CSP with a nonce, framing, HSTS…) from proxy.ts, which
  // does not run for build assets.
  async headers() {
    const assetHeaders = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
    ];
    return [
      { source: "/_next/static/:path*", headers: assetHeaders },
      { source: "/_next/image", headers: assetHeaders },
      { source: "/favicon.ico", headers: assetHeaders },
    ];
  },
};

export default nextConfig;
