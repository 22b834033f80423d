import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The worker and scripts import lib/ directly; keep server-only packages out of the bundle.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/client", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with HTTP 403 for non-admins on admin pages.
  experimental: { authInterrupts: true },
};

export default nextConfig;
