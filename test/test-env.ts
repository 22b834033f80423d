/**
 * The environment every test process runs with: the local Keycloak realm's development secrets (from
 * keycloak/realm-export.json, local only) and a dedicated test database. Each value can be overridden.
 */
export function testEnv(): Record<string, string> {
  const defaults: Record<string, string> = {
    // The app role owns nothing (scripts/migrate-database.ts); the superuser only sets up and plays the attacker.
    DATABASE_URL: "postgresql://ncdd_app@127.0.0.1:5432/ncdd_test",
    DATABASE_ADMIN_URL: "postgresql://postgres@127.0.0.1:5432/postgres",
    NEXTAUTH_URL: "http://localhost:3000",
    NEXTAUTH_SECRET: "test-only-nextauth-secret-0123456789abcdef",
    KEYCLOAK_ISSUER: "http://localhost:8180/realms/nextcloud-mcp",
    KEYCLOAK_DASHBOARD_CLIENT_ID: "delegation-dashboard",
    KEYCLOAK_DASHBOARD_CLIENT_SECRET: "dashboard-local-dev-secret",
    KEYCLOAK_WORKER_CLIENT_ID: "nextcloud-mcp-server",
    KEYCLOAK_WORKER_CLIENT_SECRET: "worker-local-dev-secret",
    KEYCLOAK_ADMIN_URL: "http://localhost:8180",
    KEYCLOAK_ADMIN_USER: "kcadmin",
    KEYCLOAK_ADMIN_PASSWORD: "kcadmin-local-only",
    NEXTCLOUD_URL: "http://localhost:8281",
    NEXTCLOUD_AUDIENCE: "nextcloud",
    // Two fixed test keys (not secrets): "t1" older, "t2" newest.
    TOKEN_VAULT_KEYS: "t1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,t2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
    LOG_LEVEL: "warn",
    // Two fixed Ed25519 test seeds (not secrets): "a1" older, "a2" newest signs audit checkpoints.
    AUDIT_CHECKPOINT_KEYS: "a1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=,a2:YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU=",
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(defaults)) out[k] = process.env[k] ?? v;
  out.AUDIT_CHECKPOINT_DIR = process.env.AUDIT_CHECKPOINT_DIR ?? checkpointDirFor(out.DATABASE_URL!);
  return out;
}

/** Each test database keeps its audit checkpoints apart (a checkpoint of another database never verifies). */
export function checkpointDirFor(databaseUrl: string): string {
  return `/tmp/ncdd-audit-checkpoints/${new URL(databaseUrl).pathname.slice(1)}`;
}
