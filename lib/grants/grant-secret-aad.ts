import { vaultAad } from "../vault/aad";

/**
 * The vault AAD of a grant's sealed secret column (`refreshTokenEnc`): a Keycloak offline token for
 * offline access, the Nextcloud app password for an app-password grant. Distinct AADs mean one can never
 * be opened as the other.
 */
export function grantSecretAad(grant: { id: string; mechanism: string }): string {
  return grant.mechanism === "app_password" ? vaultAad.grantAppPassword(grant.id) : vaultAad.grantRefresh(grant.id);
}
