import "server-only";
import { NextResponse } from "next/server";
import { AppError, userMessage, type TErrorCode } from "../errors";
import { log } from "../logger";

export const NO_STORE = { "cache-control": "no-store" } as const;

/** The one error → HTTP status map for every route handler. */
export const ERROR_STATUS: Record<TErrorCode, number> = {
  BadInput: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  ServiceAccountRefused: 403,
  NotFound: 404,
  Conflict: 409,
  ConsentRevoked: 409,
  ProviderError: 502,
  IdpUnavailable: 503,
  Misconfigured: 503,
};

/**
 * A service error as a JSON answer `{ error, code, field? }` through the one user-message table; unknown
 * errors are logged with the correlation id and answer 500 without their message.
 */
export function errorResponse(error: unknown, correlationId: string): NextResponse {
  if (!(error instanceof AppError)) log.error("route failed", { error, correlationId });
  const status = error instanceof AppError ? ERROR_STATUS[error.code] : 500;
  const code = error instanceof AppError ? error.code : "Internal";
  const field =
    error instanceof AppError && error.code === "BadInput"
      ? typeof error.details?.field === "string"
        ? error.details.field
        : "input"
      : undefined;
  return NextResponse.json({ error: userMessage(error, correlationId), code, ...(field ? { field } : {}) }, { status, headers: NO_STORE });
}
