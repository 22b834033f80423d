import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { SignInButton } from "@/components/layout/sign-in-button";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  if (await currentUser()) redirect("/");
  const { error } = await searchParams;
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          Sign-in did not complete ({error.replace(/[^A-Za-z]/g, "")}). Please try again.
        </p>
      )}
      <p className="text-slate-700">You sign in with your organisation&apos;s Keycloak account.</p>
      <SignInButton />
    </section>
  );
}
