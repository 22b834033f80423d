import "server-only";
import { NextResponse } from "next/server";
import { AppError, userMessage } from "@/lib/errors";
import { log } from "@/lib/logger";
import { NO_STORE } from "./require-admin-request";

const STATUS: Partial<Record<AppError["code"], number>> = { BadInput: 400, Forbidden: 403, Unauthenticated: 401, NotFound: 404, IdpUnavailable: 503 };

/**
 * Maps a service error to a JSON answer through the one user-message table; unknown errors are logged.
 * Bad input answers 400 `{ error, code: "BadInput", field }`, naming the first field that was wrong.
 */
export function errorResponse(error: unknown, correlationId: string): NextResponse {
  if (!(error instanceof AppError)) log.error("admin route failed", { error, correlationId });
  const status = error instanceof AppError ? (STATUS[error.code] ?? 500) : 500;
  const code = error instanceof AppError ? error.code : "Internal";
  const field = error instanceof AppError && error.code === "BadInput" ? (typeof error.details?.field === "string" ? error.details.field : "input") : undefined;
  return NextResponse.json({ error: userMessage(error, correlationId), code, ...(field ? { field } : {}) }, { status, headers: NO_STORE });
}
