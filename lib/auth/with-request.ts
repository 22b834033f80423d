import "server-only";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import { errorResponse } from "../http/error-response";
import { currentUser } from "./current-user";
import { toRequestCtx, type TRequestCtx } from "./request-context";

type TRouteArgs<P> = { params: Promise<P> };
type THandler<P> = (ctx: TRequestCtx, req: NextRequest, args: TRouteArgs<P>) => Promise<Response>;

/**
 * The one way into a route handler: the signed-in person's context is built once, a missing session
 * answers 401 and a missing role 403 (JSON with a `code`), and anything the handler throws goes through
 * the one error → HTTP map. proxy.ts only sets headers and redirects signed-out page views; the
 * permission check of every route is here, on the server.
 */
function guarded<P>(needsAdmin: boolean, handler: THandler<P>) {
  return async (req: NextRequest, args: TRouteArgs<P>): Promise<Response> => {
    let correlationId: string = randomUUID();
    try {
      const user = await currentUser();
      if (!user) throw new AppError("Unauthenticated", "Not signed in");
      if (needsAdmin && !user.isAdmin) throw new AppError("Forbidden", "This is for dashboard administrators only.");
      const ctx = toRequestCtx(user);
      correlationId = ctx.correlationId;
      return await handler(ctx, req, args);
    } catch (error) {
      return errorResponse(error, correlationId);
    }
  };
}

/** A route for any signed-in person. */
export function withUser<P = Record<string, never>>(handler: THandler<P>) {
  return guarded(false, handler);
}

/** A route for dashboard administrators (the Keycloak realm role, as Keycloak last confirmed it). */
export function withAdmin<P = Record<string, never>>(handler: THandler<P>) {
  return guarded(true, handler);
}

export { NextResponse };
