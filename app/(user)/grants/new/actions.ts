"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { requireCtx } from "@/lib/auth/current-user";
import { startGrant } from "@/lib/services/grants/start-grant";
import { PENDING_CONSENT_COOKIE } from "@/lib/services/grants/pending-consent-cookie";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";

/** Starts the consent: seals the PKCE/state/nonce cookie and sends the browser to Keycloak. */
export async function startGrantAction(form: FormData) {
  const task = String(form.get("task") ?? "") || null;
  const scopes = String(form.get("scopes") ?? "").split(",").filter(Boolean);
  const mode = form.get("mode") === "set" ? "set" : "add";
  let target: string;
  try {
    const ctx = await requireCtx();
    const { authorizationUrl, cookie } = await startGrant(ctx, task ? { task, mode } : { scopes, mode });
    (await cookies()).set(PENDING_CONSENT_COOKIE, cookie.value, {
      httpOnly: true,
      sameSite: "lax",
      secure: env().NEXTAUTH_URL.startsWith("https://"),
      path: "/grants/callback",
      maxAge: cookie.maxAge,
    });
    target = authorizationUrl;
  } catch (error) {
    const code = error instanceof AppError ? error.code : "Internal";
    target = `/access?error=${encodeURIComponent(code)}`;
  }
  redirect(target);
}
