import "server-only";
import { forbidden, redirect } from "next/navigation";
import { currentUser } from "./current-user";
import { toRequestCtx, type TRequestCtx } from "./request-context";

/** For pages: the signed-in person's request context, or a redirect to sign-in. */
export async function requireUserPage(): Promise<TRequestCtx> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  return toRequestCtx(user);
}

/** For admin pages: checks the Keycloak realm role on the server and answers 403 to everyone else. */
export async function requireAdminPage(): Promise<TRequestCtx> {
  const ctx = await requireUserPage();
  if (!ctx.isAdmin) forbidden();
  return ctx;
}
