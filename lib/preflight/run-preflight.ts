import pg from "pg";
import { ConfigError, parseEnv, type TEnv } from "../env";

export type TPreflightResult = { ok: true; env: TEnv } | { ok: false; problems: string[] };

/**
 * Checks, before anything starts, that configuration is complete and that the database and Keycloak
 * answer. Every problem is phrased as what to set or start; no stack traces, no secret values.
 */
export async function runPreflight(source: Record<string, string | undefined>): Promise<TPreflightResult> {
  let e: TEnv;
  try {
    e = parseEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problems: error.problems.map((p) => `Set ${p}`) };
    throw error;
  }
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: e.DATABASE_URL, connectionTimeoutMillis: 4000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    problems.push(
      `PostgreSQL is not reachable at ${new URL(e.DATABASE_URL).host} (${(error as Error).message}): start it, or set DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  const wellKnown = `${e.KEYCLOAK_ISSUER}/.well-known/openid-configuration`;
  try {
    const res = await fetch(wellKnown, { signal: AbortSignal.timeout(4000) });
    if (!res.ok) problems.push(`Keycloak answered ${res.status} for ${wellKnown}: check KEYCLOAK_ISSUER (realm name?)`);
  } catch (error) {
    problems.push(
      `Keycloak is not reachable at ${wellKnown} (${describeFetchFailure(error)}): start it (scripts/keycloak.sh start) or set KEYCLOAK_ISSUER`,
    );
  }
  return problems.length ? { ok: false, problems } : { ok: true, env: e };
}

/** fetch() says only "fetch failed"; the reason (refused, DNS, timeout) is in its cause. */
function describeFetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return "no answer";
  return error.cause instanceof Error ? error.cause.message : error.message;
}
