/**
 * Typed application errors. Each has a code that maps to one user-facing message (see userMessage);
 * anything else is shown as a generic message with a correlation id, and logged.
 */
export type TErrorCode =
  | "NotFound"
  | "Forbidden"
  | "Unauthenticated"
  | "BadInput"
  | "Conflict"
  | "IdpUnavailable"
  | "ConsentRevoked"
  | "ServiceAccountRefused"
  | "ProviderError"
  | "Misconfigured";

export class AppError extends Error {
  constructor(
    readonly code: TErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
  }
}

const MESSAGES: Record<TErrorCode, string> = {
  NotFound: "That item does not exist, or it is not yours.",
  Forbidden: "You are not allowed to do that.",
  Unauthenticated: "Please sign in again.",
  BadInput: "The request was not valid.",
  Conflict: "That changed in the meantime; reload and try again.",
  IdpUnavailable: "Keycloak cannot be reached right now.",
  ConsentRevoked: "Access was revoked; grant it again to continue.",
  ServiceAccountRefused: "Service-account tokens are never sent to Nextcloud.",
  ProviderError: "Keycloak refused the request.",
  Misconfigured: "The worker is misconfigured at Keycloak (its client credentials); your access is unchanged.",
};

/** The one place where errors become words for people. Unknown errors never leak their message. */
export function userMessage(error: unknown, correlationId: string): string {
  if (error instanceof AppError) {
    return error.code === "BadInput" || error.code === "ProviderError" ? error.message : MESSAGES[error.code];
  }
  return `Something went wrong (reference ${correlationId}).`;
}
