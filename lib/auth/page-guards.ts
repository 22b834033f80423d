import "server-only";
import { forbidden, redirect } from "next/navigation";
import { currentUser, type TCurrentUser } from "./current-user";

/** For pages: the signed-in person, or a redirect to sign-in. */
export async function requireUserPage(): Promise<TCurrentUser> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  return user;
}

/** For admin pages: checks the Keycloak realm role on the server and answers 403 to everyone else. */
export async function requireAdminPage(): Promise<TCurrentUser> {
  const user = await requireUserPage();
  if (!user.isAdmin) forbidden();
  return user;
}
