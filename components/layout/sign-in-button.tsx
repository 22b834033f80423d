"use client";

import { signIn } from "next-auth/react";
import { Button } from "@/components/ui/button";

/** Props: `callbackUrl` (a same-origin path to land on after Keycloak; default "/"). */
export function SignInButton({ callbackUrl = "/" }: { callbackUrl?: string }) {
  return (
    <Button variant="primary" size="md" onClick={() => signIn("keycloak", { callbackUrl })}>
      Sign in with Keycloak
    </Button>
  );
}
