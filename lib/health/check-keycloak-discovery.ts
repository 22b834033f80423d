import "server-only";
import { env } from "../env";

type TCached = { until: number; result: Promise<string> };
const cache = new Map<string, TCached>();

/**
 * Keycloak's discovery document answers for the configured realm, names that realm as its issuer and has
 * a token endpoint. Answers are cached (success for `okTtlMs`, failure for `failTtlMs`) so readiness can be
 * polled every few seconds without loading Keycloak; each fetch gives up after `timeoutMs`.
 */
export function checkKeycloakDiscovery(
  opts: { issuer?: string; timeoutMs?: number; okTtlMs?: number; failTtlMs?: number } = {},
): Promise<string> {
  const issuer = (opts.issuer ?? env().KEYCLOAK_ISSUER).replace(/\/$/, "");
  const now = Date.now();
  const hit = cache.get(issuer);
  if (hit && hit.until > now) return hit.result;
  const entry: TCached = { until: now + (opts.okTtlMs ?? 10_000), result: fetchDiscovery(issuer, opts.timeoutMs ?? 2000) };
  entry.result.catch(() => {
    entry.until = Date.now() + (opts.failTtlMs ?? 2000);
  });
  cache.set(issuer, entry);
  return entry.result;
}

async function fetchDiscovery(issuer: string, timeoutMs: number): Promise<string> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "manual",
  }).catch((error: unknown) => {
    const cause = (error as { cause?: { code?: string } })?.cause?.code;
    throw new Error(
      `Keycloak unreachable${cause ? ` (${cause})` : error instanceof Error && error.name === "TimeoutError" ? " (timeout)" : ""}`,
    );
  });
  if (!res.ok) throw new Error(`Keycloak discovery answered HTTP ${res.status}`);
  const doc = (await res.json().catch(() => null)) as { issuer?: unknown; token_endpoint?: unknown } | null;
  if (!doc || typeof doc.token_endpoint !== "string") throw new Error("Keycloak discovery document has no token endpoint");
  if (typeof doc.issuer !== "string" || doc.issuer.replace(/\/$/, "") !== issuer)
    throw new Error("Keycloak discovery names another issuer than KEYCLOAK_ISSUER");
  return "discovery document served for the configured realm";
}
