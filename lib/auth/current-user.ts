import "server-only";
import { cookies } from "next/headers";
import { decode } from "next-auth/jwt";
import { db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import { confirmLogin, LOGIN_CONFIRM_MS } from "./login-session-token";
import { toRequestCtx, type TRequestCtx } from "./request-context";

export type TCurrentUser = {
  sub: string;
  name: string | null;
  email: string | null;
  username: string;
  isAdmin: boolean;
  loginSessionId: string;
};

export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/**
 * The signed-in person, or null. The session cookie is decoded on the server only (its login-session
 * id never goes to the browser as data), and that login session must still be open in the database:
 * sign-out and Keycloak back-channel logout close it. Roles come from the login session (what Keycloak
 * last said), never from the cookie.
 */
export async function currentUser(): Promise<TCurrentUser | null> {
  const jar = await cookies();
  const raw = SESSION_COOKIES.map((n) => jar.get(n)?.value).find(Boolean);
  if (!raw) return null;
  const token = await decode({ token: raw, secret: env().NEXTAUTH_SECRET }).catch(() => null);
  if (!token?.sub || typeof token.lsid !== "string") return null;
  const open = await db().loginSession.findFirst({
    where: { id: token.lsid, userSub: token.sub, endedAt: null },
    select: { id: true, roles: true, confirmedAt: true },
  });
  if (!open) return null;
  // Keycloak is asked again at least every 5 minutes: a removed role, a disabled user or an ended SSO
  // session reaches every request here (back-channel logout ends the row sooner).
  let roles = open.roles;
  if (Date.now() - open.confirmedAt.getTime() >= LOGIN_CONFIRM_MS) {
    try {
      roles = (await confirmLogin(open.id, token.sub)).roles;
    } catch (error) {
      if (error instanceof AppError && error.code === "Unauthenticated") return null;
      throw error;
    }
  }
  return {
    sub: token.sub,
    name: (token.name as string | null) ?? null,
    email: (token.email as string | null) ?? null,
    username: typeof token.username === "string" ? token.username : token.sub,
    isAdmin: roles.includes(env().KEYCLOAK_ADMIN_ROLE),
    loginSessionId: token.lsid,
  };
}

/** The request context of the signed-in person (server actions); throws Unauthenticated otherwise. */
export async function requireCtx(): Promise<TRequestCtx> {
  const user = await currentUser();
  if (!user) throw new AppError("Unauthenticated", "Not signed in");
  return toRequestCtx(user);
}
