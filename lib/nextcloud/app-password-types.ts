/**
 * A Nextcloud app password as Login Flow v2 hands it over. Branded like the token types in lib/oauth, so a
 * plain string (or a Keycloak token) cannot be passed where a person's app password is meant; only the
 * login flow client and the grant store (opening the vault) mint it.
 */
declare const appPassword: unique symbol;

export type TAppPassword = string & { readonly [appPassword]: true };

/** One person's Nextcloud credential: the login name Nextcloud returned and the app password for it. */
export type TAppPasswordCredential = { loginName: string; appPassword: TAppPassword };

/** Marks a value that came from Login Flow v2 or from the vault's app-password column. */
export function asAppPassword(value: string): TAppPassword {
  return value as TAppPassword;
}
