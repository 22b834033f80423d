import type { Metadata } from "next";
import Link from "next/link";
import { requireUserPage } from "@/lib/auth/page-guards";
import { listGrants } from "@/lib/services/grants/list-grants";
import { AccessClient } from "./access-client";

export const metadata: Metadata = { title: "My access" };

export const dynamic = "force-dynamic";

const CALLBACK_ERRORS: Record<string, string> = {
  no_pending_request: "This consent response was not started from this sign-in, or it was already used. Nothing was stored.",
  state_mismatch: "The consent response did not match the request (state). Nothing was stored.",
  other_person:
    "The person who consented at Keycloak is not the person signed in here. Nothing was stored, and the access Keycloak issued was revoked.",
  declined: "You declined at Keycloak. Nothing was granted.",
  provider_error: "Keycloak's answer could not be verified. Nothing was stored.",
  not_signed_in: "Please sign in before granting access.",
};

const GRANTED: Record<string, string> = {
  created: "Access granted. The worker can now act for you with the scopes below.",
  widened: "Access added. Your one grant now covers the scopes below.",
  narrowed: "Access narrowed. Keycloak now lists only what remains; tasks that needed the dropped scope stopped.",
  renewed: "Access renewed with the same scopes.",
};

export default async function AccessPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; granted?: string; stopped?: string; consent?: string }>;
}) {
  const ctx = await requireUserPage();
  const { error, granted, stopped, consent } = await searchParams;
  const grants = await listGrants(ctx);
  return (
    <section className="space-y-6">
      <div className="flex items-center gap-4">
        <h1 className="text-2xl font-semibold">My access</h1>
        <Link href="/grants/new" className="ml-auto rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800">
          Grant access
        </Link>
      </div>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          {CALLBACK_ERRORS[error] ?? "That did not work. Nothing was changed."}
        </p>
      )}
      {granted && (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-green-800">
          {GRANTED[granted] ?? GRANTED.created}
          {stopped ? ` Stopped: ${stopped.split(",").join(", ")}.` : ""}
          {consent === "not_narrowed" ? " Keycloak's consent could not be narrowed; remove the scope in Keycloak's account console." : ""}
        </p>
      )}
      <AccessClient initialGrants={grants} />
    </section>
  );
}
