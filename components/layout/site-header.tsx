import Link from "next/link";
import { currentUser } from "@/lib/auth/current-user";
import { Button } from "@/components/ui/button";
import { NavLinks } from "./nav-links";

/**
 * Top bar: who is signed in, where they can go, and sign-out (a same-origin POST). On a phone the links
 * wrap onto a second line; the name truncates so "Sign out" always stays on screen.
 */
export async function SiteHeader() {
  const user = await currentUser();
  const links = user
    ? [
        { href: "/access", label: "My access" },
        { href: "/tasks", label: "Tasks" },
        ...(user.isAdmin
          ? [
              { href: "/admin", label: "Admin" },
              { href: "/admin/workers", label: "Workers" },
            ]
          : []),
      ]
    : [];
  return (
    <header className="border-b bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="shrink-0 font-semibold">
          Delegation Dashboard
        </Link>
        {user && (
          <>
            <nav aria-label="Main" className="order-last w-full md:order-none md:w-auto">
              <NavLinks links={links} />
            </nav>
            <div className="ml-auto flex min-w-0 items-center gap-2">
              <span
                className="max-w-[9rem] truncate text-sm text-slate-700 sm:max-w-[14rem]"
                title={user.username}
                data-testid="signed-in-user"
              >
                {user.name ?? user.username}
              </span>
              <form action="/api/session/end" method="post" className="shrink-0">
                <Button type="submit" variant="secondary">
                  Sign out
                </Button>
              </form>
            </div>
          </>
        )}
      </div>
    </header>
  );
}
