import type { Metadata } from "next";
import Link from "next/link";
import { currentUser } from "@/lib/auth/current-user";
import { SignInButton } from "@/components/layout/sign-in-button";
import { Card } from "@/components/ui/card";

// The root layout's title template does not reach pages of its own segment: the full title here.
export const metadata: Metadata = { title: { absolute: "Nextcloud Delegation Dashboard" } };

export const dynamic = "force-dynamic";

const SECTIONS = [
  { href: "/access", title: "My access", text: "What you allowed the background worker to do, and taking it back.", admin: false },
  { href: "/tasks", title: "Background tasks", text: "What runs for you, what it did, and stopping it.", admin: false },
  { href: "/admin", title: "Admin area", text: "Audit trail and which delegation methods work.", admin: true },
];

/** Start page: what the product is (signed out), or where to go next (signed in). */
export default async function HomePage() {
  const user = await currentUser();
  if (!user) {
    return (
      <section className="space-y-4">
        <h1 className="text-2xl font-semibold sm:text-3xl">Nextcloud Delegation Dashboard</h1>
        <p className="max-w-2xl text-slate-700">
          Background workers act in your Nextcloud <strong>on your behalf</strong> — with your consent, never as an identity of their own.
          Grant access, watch every task that runs for you, and revoke it at any time.
        </p>
        <SignInButton />
      </section>
    );
  }
  return (
    <section className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Welcome, {user.name ?? user.username}</h1>
        <p className="text-slate-700">Signed in as {user.username} through Keycloak.</p>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2">
        {SECTIONS.filter((s) => !s.admin || user.isAdmin).map((s) => (
          <Card as="li" key={s.href}>
            <h2 className="font-medium">
              <Link className="text-blue-700 hover:underline" href={s.href}>
                {s.title}
              </Link>
            </h2>
            <p className="text-sm text-slate-600">{s.text}</p>
          </Card>
        ))}
      </ul>
    </section>
  );
}
