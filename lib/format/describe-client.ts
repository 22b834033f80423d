/** Display names of the realm's clients (keycloak/realm-export.json), so pages say who acted in words. */
const CLIENT_NAMES: Record<string, string> = {
  "nextcloud-mcp-server": "Nextcloud MCP background worker",
  "delegation-dashboard": "Nextcloud Delegation Dashboard",
  "legacy-service-account": "Legacy service account",
};

/** A Keycloak client id as a person reads it (the id itself when the name is not known). */
export function describeClient(clientId: string): string {
  return CLIENT_NAMES[clientId] ?? clientId;
}
