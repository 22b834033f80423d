import "server-only";
import { checkDatabase } from "./check-database";
import { checkKeycloakDiscovery } from "./check-keycloak-discovery";
import { checkMigrations } from "./check-migrations";
import { checkVaultKeys } from "./check-vault-keys";
import type { THealthReport } from "./health-types";
import { runHealthCheck } from "./run-health-check";

/**
 * The app is ready when PostgreSQL answers, every shipped migration is applied, Keycloak's discovery
 * answers for the realm and the vault keys work. Checks run in parallel, each with its own deadline.
 */
export async function checkAppReadiness(opts: { timeoutMs?: number } = {}): Promise<THealthReport> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const checks = await Promise.all([
    runHealthCheck("database", timeoutMs, checkDatabase),
    runHealthCheck("migrations", timeoutMs, () => checkMigrations()),
    runHealthCheck("keycloak", timeoutMs, () => checkKeycloakDiscovery({ timeoutMs })),
    runHealthCheck("vault", timeoutMs, checkVaultKeys),
  ]);
  return { status: checks.every((c) => c.ok) ? "ready" : "unready", checks };
}
