/** Keycloak admin API reads for browser tests (what Keycloak itself says, independent of the app). */
import { getUserByUsername, listOfflineSessions } from "../test/keycloak/admin-api";

export async function offlineSessionIds(username: string): Promise<string[]> {
  const user = await getUserByUsername(username);
  return (await listOfflineSessions(user.id, "nextcloud-mcp-server")).map((s) => s.id);
}
