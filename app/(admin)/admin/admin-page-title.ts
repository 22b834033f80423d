import type { Metadata } from "next";
import { currentUser } from "@/lib/auth/current-user";

/**
 * The title of an admin page, or "Forbidden" for a person who is not an admin: the admin layout answers
 * them with the 403 page, but Next would still title that page with the admin page's own metadata.
 */
export function adminPageTitle(title: string): () => Promise<Metadata> {
  return async () => ((await currentUser())?.isAdmin ? { title } : { title: { absolute: "Forbidden · Delegation Dashboard" } });
}
