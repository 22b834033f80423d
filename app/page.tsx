import Link from "next/link";
import { currentUser } from "@/lib/auth/current-user";
import { SignInButton } from "@/components/layout/sign-in-button";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await currentUser();
  if (!user) {
    return (
      <section className="space-y-4">
        <h1 className="text-3xl font-semibold">Nextcloud Delegation Dashboard</h1>
        <p className="max-w-2xl text-slate-700">
          Background workers act in your Nextcloud <strong>on your behalf</strong> — with your consent, never as
          an identity of their own. Grant access, watch every task that runs for you, and revoke it at any time.
        </p>
        <SignInButton />
      </section>
    );
  }
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Welcome, {user.name ?? user.username}</h1>
      <p className="text-slate-700">Signed in as {user.username} through Keycloak.</p>
      <ul className="grid gap-3 sm:grid-cols-2">
        <li className="rounded border bg-white p-4">
          <Link className="font-medium text-blue-700 hover:underline" href="/access">My access</Link>
          <p className="text-sm text-slate-600">What you granted the background worker, and revoking it.</p>
        </li>
        <li className="rounded border bg-white p-4">
          <Link className="font-medium text-blue-700 hover:underline" href="/tasks">Background tasks</Link>
          <p className="text-sm text-slate-600">What runs for you, what it did, and stopping it.</p>
        </li>
        {user.isAdmin && (
          <li className="rounded border bg-white p-4">
            <Link className="font-medium text-blue-700 hover:underline" href="/admin">Admin area</Link>
            <p className="text-sm text-slate-600">Audit trail and delegation tier status.</p>
          </li>
        )}
      </ul>
    </section>
  );
}
