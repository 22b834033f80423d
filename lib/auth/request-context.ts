import "server-only";
import { randomUUID } from "node:crypto";
import type { TCtx } from "../services/context";
import type { TCurrentUser } from "./current-user";

/** The one request context: who is calling (for services) plus what pages show about them. */
export type TRequestCtx = TCtx & { loginSessionId: string; name: string | null; email: string | null };

/** Built once per request from the signed-in person; roles come from the login session, never the cookie. */
export function toRequestCtx(user: TCurrentUser): TRequestCtx {
  return {
    userSub: user.sub,
    username: user.username,
    isAdmin: user.isAdmin,
    correlationId: randomUUID(),
    loginSessionId: user.loginSessionId,
    name: user.name,
    email: user.email,
  };
}
