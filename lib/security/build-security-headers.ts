/**
 * The security headers of every answer: one function, so the proxy and its tests agree. Pages get a strict
 * Content-Security-Policy with a per-request nonce (Next.js puts it on its own scripts, and 'strict-dynamic'
 * lets those load the rest); everything else (API routes, redirects) gets a policy that allows nothing at all.
 * Nobody may frame any of it. HSTS only when the dashboard is served over https (a browser ignores it over
 * http, and sending it for localhost would pin https on every other local port).
 */
export function buildSecurityHeaders(input: {
  kind: "page" | "api";
  nonce: string;
  https: boolean;
  /** Origins a form on our pages may lead to (Keycloak, whose consent and sign-in pages follow our forms). */
  formTargets?: string[];
  dev?: boolean;
}): Record<string, string> {
  const { nonce, https, dev = false } = input;
  const csp =
    input.kind === "page"
      ? [
          "default-src 'self'",
          `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
          `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
          // React writes server-rendered style props (a progress bar's width) as style attributes; they cannot
          // run code. Style elements and sheets still need the nonce or our origin.
          "style-src-attr 'unsafe-inline'",
          "img-src 'self' data: blob:",
          "font-src 'self'",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          ["form-action 'self'", ...(input.formTargets ?? [])].join(" "),
          "frame-src 'none'",
          "frame-ancestors 'none'",
          ...(https ? ["upgrade-insecure-requests"] : []),
        ]
      : ["default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"];
  return {
    "Content-Security-Policy": csp.join("; "),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    // Full referrer to ourselves (Next's action checks and our sign-out read Origin, which "no-referrer" would
    // blank on same-origin POSTs); nothing to other sites.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy":
      "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    ...(https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
