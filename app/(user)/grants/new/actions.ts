"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { requireCtx } from "@/lib/auth/current-user";
import { startAppPasswordFlow } from "@/lib/services/grants/start-app-password-flow";
import { pollAppPasswordFlow } from "@/lib/services/grants/poll-app-password-flow";
import { openPendingLoginFlow, PENDING_LOGIN_FLOW_COOKIE } from "@/lib/services/grants/pending-login-flow-cookie";
import { startGrant } from "@/lib/services/grants/start-grant";
import { PENDING_CONSENT_COOKIE } from "@/lib/services/grants/pending-consent-cookie";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { TASK_TYPES, type TTaskType } from "@/lib/tasks/task-catalog";
import { findHostileValue } from "@/lib/validation/find-hostile-value";
import { toBadInput } from "@/lib/validation/to-bad-input";
import { ZIdSchema } from "@/lib/validation/z-id-schema";

// The consent form: a task type, or a comma-separated list of scope names (the service checks each is known).
const ZStartGrantFormSchema = z.object({
  task: z.preprocess(
    (v) => (v === "" || v === null ? null : v),
    z.enum(TASK_TYPES as [TTaskType, ...TTaskType[]], { error: "task must be a known task type" }).nullable(),
  ),
  scopes: z.preprocess(
    (v) => (v === null ? [] : typeof v === "string" ? v.split(",").filter(Boolean) : v),
    z
      .array(ZIdSchema, { error: "scopes must be a comma-separated list of scope names" })
      .max(16, { error: "scopes must list at most 16 scopes" }),
  ),
  mode: z.preprocess((v) => (v === null || v === "" ? "add" : v), z.enum(["add", "set"], { error: "mode must be add or set" })),
});

function readForm(form: unknown): z.infer<typeof ZStartGrantFormSchema> {
  if (!(form instanceof FormData)) throw new AppError("BadInput", "input: input must be the consent form", { field: "input" });
  const hostile = findHostileValue(form);
  if (hostile) throw new AppError("BadInput", `${hostile.field}: ${hostile.field} ${hostile.message}`, { field: hostile.field });
  for (const key of ["task", "scopes", "mode"]) {
    if (form.getAll(key).length > 1) throw new AppError("BadInput", `${key}: ${key} must be given once`, { field: key });
  }
  const parsed = ZStartGrantFormSchema.safeParse({ task: form.get("task"), scopes: form.get("scopes"), mode: form.get("mode") });
  if (!parsed.success) throw toBadInput(parsed.error);
  return parsed.data;
}

/**
 * Starts the consent: seals the PKCE/state/nonce cookie and sends the browser to Keycloak. Bad input (and
 * any other failure) changes nothing and lands on /access with the error code (`?error=BadInput&field=…`).
 */
export async function startGrantAction(form: FormData) {
  let target: string;
  try {
    const ctx = await requireCtx();
    const { task, scopes, mode } = readForm(form);
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
    const field =
      error instanceof AppError && typeof error.details?.field === "string" ? `&field=${encodeURIComponent(error.details.field)}` : "";
    target = `/access?error=${encodeURIComponent(code)}${field}`;
  }
  redirect(target);
}

const ZNoInputSchema = z.strictObject({});

/** Starts Nextcloud's Login Flow v2: returns the Nextcloud page to open; the poll token stays in a sealed cookie. */
export const startAppPasswordAction = authedAction(ZNoInputSchema, async (ctx) => {
  const { loginUrl, cookie } = await startAppPasswordFlow(ctx);
  (await cookies()).set(PENDING_LOGIN_FLOW_COOKIE, cookie.value, {
    httpOnly: true,
    sameSite: "strict",
    secure: env().NEXTAUTH_URL.startsWith("https://"),
    path: "/grants/new",
    maxAge: cookie.maxAge,
  });
  return { loginUrl };
});

/** One poll of the Login Flow v2 this sign-in started: waiting, connected, or failed with the reason. */
export const pollAppPasswordAction = authedAction(ZNoInputSchema, async (ctx) => {
  const jar = await cookies();
  const result = await pollAppPasswordFlow(ctx, openPendingLoginFlow(jar.get(PENDING_LOGIN_FLOW_COOKIE)?.value));
  if (result.finished) jar.delete({ name: PENDING_LOGIN_FLOW_COOKIE, path: "/grants/new" });
  if (result.state === "connected") revalidatePath("/access");
  const { finished: _finished, ...state } = result;
  return state;
});
