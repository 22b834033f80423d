import Link from "next/link";
import { currentUser } from "@/lib/auth/current-user";

/** Top bar: who is signed in, where they can go, and sign-out (a same-origin POST). */
export async function SiteHeader() {
  const user = await currentUser();
  return (
    <header className="border-b bg-white">
      <nav className="mx-auto flex max-w-5xl items-center gap-4 px-6 py-3" aria-label="Main">
        <Link href="/" className="font-semibold">Delegation Dashboard</Link>
        {user && (
          <>
            <Link href="/access" className="text-sm text-slate-700 hover:underline">My access</Link>
            <Link href="/tasks" className="text-sm text-slate-700 hover:underline">Tasks</Link>
            {user.isAdmin && <Link href="/admin" className="text-sm text-slate-700 hover:underline">Admin</Link>}
            {user.isAdmin && <Link href="/admin/workers" className="text-sm text-slate-700 hover:underline">Workers</Link>}
            <span className="ml-auto text-sm text-slate-600" data-testid="signed-in-user">{user.name ?? user.username}</span>
            <form action="/api/session/end" method="post">
              <button type="submit" className="rounded border px-3 py-1 text-sm hover:bg-slate-100">Sign out</button>
            </form>
          </>
        )}
      </nav>
    </header>
  );
}
