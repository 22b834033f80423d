import { signInUrlFor } from "@/lib/format/safe-callback-url";

let redirecting = false;

/** Sends the browser to sign-in, to come back to the current page afterwards (once, however many polls fail). */
export function redirectToSignIn(): void {
  if (redirecting || typeof window === "undefined") return;
  redirecting = true;
  window.location.assign(signInUrlFor(window.location.pathname + window.location.search));
}

/** True for an error that means "the session has ended": a 401 from our API or an Unauthenticated action result. */
export function isSessionEnded(error: unknown): boolean {
  if (error && typeof error === "object") {
    if ("status" in error && error.status === 401) return true;
    if ("code" in error && error.code === "Unauthenticated") return true;
  }
  return false;
}
