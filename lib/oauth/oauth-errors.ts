import { ResponseBodyError, AuthorizationResponseError, WWWAuthenticateChallengeError } from "openid-client";
import { AppError } from "../errors";
import { redact } from "../logger";

/**
 * Keycloak refused a protocol request. `error` and `error_description` are the provider's words,
 * verbatim, so operators and tests can match them; the request and response bodies (which may carry
 * tokens) are never kept.
 */
export class OAuthProviderError extends AppError {
  constructor(
    readonly operation: string,
    readonly error: string,
    readonly errorDescription: string | undefined,
    readonly status: number | undefined,
  ) {
    super("ProviderError", errorDescription ? `${error}: ${errorDescription}` : error, {
      operation,
      error,
      error_description: errorDescription,
      status,
    });
  }
}

/**
 * The offline grant no longer works at Keycloak (refresh answered `invalid_grant`): the user or an
 * admin revoked it, or the offline session expired. The grant must be re-consented.
 */
export class GrantRevokedError extends AppError {
  constructor(
    readonly grantId: string,
    readonly errorDescription: string | undefined,
  ) {
    super("ConsentRevoked", `Grant ${grantId} was revoked at the provider${errorDescription ? `: ${errorDescription}` : ""}`, {
      grantId,
      error: "invalid_grant",
      error_description: errorDescription,
    });
  }
}

/**
 * Keycloak refused the worker client itself (wrong client id or secret, or a token that belongs to
 * another client): a configuration error of this deployment, never a revocation of the user's grant.
 */
export class ClientMisconfiguredError extends AppError {
  constructor(
    readonly operation: string,
    readonly providerWords: string,
  ) {
    super(
      "Misconfigured",
      `The worker client was refused during ${operation} (${providerWords}); check KEYCLOAK_WORKER_CLIENT_ID and KEYCLOAK_WORKER_CLIENT_SECRET`,
      { operation },
    );
  }
}

/**
 * What a refused refresh means. `revoked`: the grant is gone at Keycloak (offline session ended or
 * expired, consent removed or narrowed elsewhere, user disabled). `misconfigured`: Keycloak refused OUR
 * client (credentials of another client, unknown client) — the user's grant is fine. null: neither
 * (an outage or an unexpected answer), so nothing about the grant may be concluded.
 */
export function classifyRefreshRefusal(err: unknown): "revoked" | "misconfigured" | null {
  if (!(err instanceof OAuthProviderError)) return null;
  const words = err.errorDescription ?? "";
  if (err.error === "invalid_client" || err.error === "unauthorized_client") return "misconfigured";
  if (err.error === "invalid_grant") return /client.*(don't|do not) match|unmatching client/i.test(words) ? "misconfigured" : "revoked";
  if (err.error === "invalid_scope" && /no longer has requested consent/i.test(words)) return "revoked";
  return null;
}

/** Keycloak could not be reached or answered something that is not OAuth. */
export class IdpUnavailableError extends AppError {
  constructor(
    readonly operation: string,
    cause: string,
  ) {
    super("IdpUnavailable", `Keycloak unavailable during ${operation}: ${cause}`, { operation });
  }
}

/**
 * Turns whatever openid-client threw into one of the typed errors above. Messages pass through the
 * logger's redaction so a JWT echoed by a provider or library can never end up in an error.
 */
export function toOAuthError(operation: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ResponseBodyError) {
    return new OAuthProviderError(operation, err.error, err.error_description, err.status);
  }
  if (err instanceof AuthorizationResponseError) {
    return new OAuthProviderError(operation, err.error, err.error_description, undefined);
  }
  if (err instanceof WWWAuthenticateChallengeError) {
    const c = err.cause[0];
    return new OAuthProviderError(operation, c?.parameters.error ?? "invalid_request", c?.parameters.error_description, err.status);
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown })?.code;
  // openid-client validation failures (state, nonce, PKCE, iss) are ours to report, not outages.
  if (typeof code === "string" && code.startsWith("OAUTH_")) {
    return new OAuthProviderError(operation, code, String(redact(message)), undefined);
  }
  return new IdpUnavailableError(operation, String(redact(message)));
}

/** The provider `error` code of an error, if it came from the provider; for audit rows. */
export function providerErrorCode(err: unknown): string | null {
  if (err instanceof OAuthProviderError) return err.error;
  if (err instanceof GrantRevokedError) return "invalid_grant";
  if (err instanceof AppError) return err.code;
  return null;
}
