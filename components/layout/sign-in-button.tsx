"use client";

import { signIn } from "next-auth/react";

export function SignInButton() {
  return (
    <button
      type="button"
      onClick={() => signIn("keycloak", { callbackUrl: "/" })}
      className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800"
    >
      Sign in with Keycloak
    </button>
  );
}
