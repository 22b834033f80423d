/**
 * The Nextcloud account (user id) a Keycloak user has. The product runs Nextcloud's user_oidc with
 * `--mapping-uid=preferred_username` (docker-compose.yml, and the stand-in copies it), and sign-in keeps
 * `preferred_username` (else `sub`) as the person's username: that is the account name. A Login Flow v2
 * answer for any other login name belongs to someone else.
 */
export function nextcloudAccountOf(person: { username: string }): string {
  return person.username;
}
