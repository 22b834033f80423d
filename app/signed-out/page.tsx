import type { Metadata } from "next";
import { SignInButton } from "@/components/layout/sign-in-button";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Signed out" };

export default async function SignedOutPage({ searchParams }: { searchParams: Promise<{ keycloak?: string }> }) {
  const { keycloak } = await searchParams;
  return (
    <Card className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">You are signed out</h1>
      <p className="text-slate-700">
        {keycloak === "ended"
          ? "Your dashboard session and your Keycloak session have ended."
          : "Your dashboard session has ended. Keycloak did not confirm the end of its session; close the browser to be sure."}
      </p>
      <p className="text-slate-700" data-testid="background-keeps-running">
        Background access you granted keeps running while you are away — that is what offline access is for. To stop it, sign in and revoke
        it under My access, or remove “Nextcloud MCP background worker” in Keycloak&apos;s account console.
      </p>
      <SignInButton />
    </Card>
  );
}
