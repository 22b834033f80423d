import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { safeCallbackUrl } from "@/lib/format/safe-callback-url";
import { SignInButton } from "@/components/layout/sign-in-button";
import { Card } from "@/components/ui/card";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

/** Sign-in; `callbackUrl` (same-origin paths only) is where people land afterwards, e.g. the page whose session ended. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const { error, callbackUrl } = await searchParams;
  const back = safeCallbackUrl(callbackUrl);
  if (await currentUser()) redirect(back);
  return (
    <Card className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          Sign-in did not complete ({error.replace(/[^A-Za-z]/g, "")}). Please try again.
        </p>
      )}
      {back !== "/" && !error && (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-950">
          Your session has ended. Sign in again to go back to <span className="font-mono break-all">{back}</span>.
        </p>
      )}
      <p className="text-slate-700">You sign in with your organisation&apos;s Keycloak account.</p>
      <SignInButton callbackUrl={back} />
    </Card>
  );
}
