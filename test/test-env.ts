/**
 * The environment every test process runs with: the local Keycloak realm's development secrets (from
 * keycloak/realm-export.json, local only) and a dedicated test database. Each value can be overridden.
 */
export function testEnv(): Record<string, string> {
  const defaults: Record<string, string> = {
    DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/ncdd_test",
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
    TOKEN_VAULT_KEYS:
      "t1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,t2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
    LOG_LEVEL: "warn",
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(defaults)) out[k] = process.env[k] ?? v;
  return out;
}
