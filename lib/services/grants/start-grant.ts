import "server-only";
import { z } from "zod";
import { ZIdSchema } from "../../validation/z-id-schema";
import { buildConsentRequest } from "../../oauth/build-consent-request";
import { env } from "../../env";
import { db } from "../../db";

import { AppError } from "../../errors";
import { SCOPE_CATALOG, TASK_CATALOG, taskScopesOf, type TTaskType } from "../../tasks/task-catalog";
import type { TCtx } from "../context";
import { sealPendingConsent } from "./pending-consent-cookie";

export const ZStartGrantSchema = z.object({
  task: z
    .enum(Object.keys(TASK_CATALOG) as [TTaskType, ...TTaskType[]])
    .nullable()
    .optional(),
  scopes: z.array(ZIdSchema).max(16).optional(),
  /** "add" (default): what the grant has plus what is asked. "set": exactly the scopes asked (narrowing). */
  mode: z.enum(["add", "set"]).optional(),
});
export type TStartGrantInput = z.infer<typeof ZStartGrantSchema>;

/** The task scopes a grant request asks for: a task's own scopes, or an explicit known list. */
export function requestedTaskScopes(input: TStartGrantInput): string[] {
  const scopes = input.task ? [...TASK_CATALOG[input.task].scopes] : (input.scopes ?? []);
  const unknown = scopes.filter((s) => !SCOPE_CATALOG[s] || s === "offline_access");
  if (unknown.length) throw new AppError("BadInput", `Unknown scope: ${unknown.join(", ")}`);
  if (scopes.length === 0) throw new AppError("BadInput", "Choose a task or at least one scope to grant");
  return [...new Set(scopes)];
}

/**
 * Starts an offline-consent request for the signed-in user: builds Keycloak's authorization URL (PKCE,
 * state, nonce, prompt=consent) and returns the sealed cookie that binds the callback to this person
 * and this login session. There is one grant per person and worker, so "add" asks for the union of what
 * the active grant holds and what is new (Keycloak shows the full list), and "set" asks for exactly the
 * given scopes (narrowing). Nothing is stored until the callback verifies everything.
 */
export async function startGrant(ctx: TCtx & { loginSessionId: string }, input: TStartGrantInput) {
  const asked = requestedTaskScopes(input);
  const current =
    input.mode === "set"
      ? null
      : await db().grant.findFirst({
          where: { userSub: ctx.userSub, status: "active", mechanism: "offline_access" },
          select: { scopes: true },
        });
  const taskScopes = [...new Set([...taskScopesOf(current?.scopes ?? []), ...asked])];
  const redirectUri = new URL("/grants/callback", env().NEXTAUTH_URL).toString();
  const { url, checks } = await buildConsentRequest({ taskScopes, redirectUri });
  const cookie = sealPendingConsent({
    checks,
    userSub: ctx.userSub,
    loginSessionId: ctx.loginSessionId,
    taskType: input.task ?? null,
    createdAt: Date.now(),
  });
  return { authorizationUrl: url.toString(), cookie };
}
