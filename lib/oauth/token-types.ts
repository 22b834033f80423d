/**
 * Branded token types. They are plain strings at run time; the brands exist so the compiler keeps a
 * service-account token (client_credentials) away from anything that talks to Nextcloud. Only lib/oauth
 * mints these brands.
 */
declare const userBound: unique symbol;
declare const serviceAccount: unique symbol;

/** An access token issued for a person (refresh of their offline grant, or an exchange of one). */
export type TUserAccessToken = string & { readonly [userBound]: true };

/**
 * What a client_credentials call returns: the client acting as itself. Its only legal use is as the
 * `subject_token` of an RFC 8693 exchange; the Nextcloud client does not accept it.
 */
export type TServiceAccountToken = string & { readonly [serviceAccount]: true };

/** Any token that may be presented as an exchange subject_token. */
export type TExchangeSubjectToken = TUserAccessToken | TServiceAccountToken;

/** Marks a token that lib/oauth obtained for a user. Not for use outside lib/oauth and tests. */
export function asUserAccessToken(token: string): TUserAccessToken {
  return token as TUserAccessToken;
}

/** Marks a token that lib/oauth obtained with client_credentials. */
export function asServiceAccountToken(token: string): TServiceAccountToken {
  return token as TServiceAccountToken;
}
