import "server-only";
import { z } from "zod";
import { openSecret, sealSecret } from "../../vault/token-vault";

/** Cookie holding a Login Flow v2 in progress (its poll token is a secret: whoever polls first gets the app password). */
export const PENDING_LOGIN_FLOW_COOKIE = "ncdd.pending-login-flow";
const AAD = "cookie:pending-login-flow";

/** Nextcloud keeps a Login Flow v2 open for 20 minutes; the dashboard gives up at the same time. */
export const LOGIN_FLOW_TIMEOUT_MS = 20 * 60_000;

const ZPendingLoginFlowSchema = z.object({
  pollToken: z.string(),
  pollPath: z.string(),
  loginUrl: z.string(),
  userSub: z.string(),
  loginSessionId: z.string(),
  startedAt: z.number(),
});

export type TPendingLoginFlow = z.infer<typeof ZPendingLoginFlowSchema>;

/** Seals the flow with the vault (confidential, tamper-evident), bound to this person and sign-in. */
export function sealPendingLoginFlow(value: TPendingLoginFlow): { value: string; maxAge: number } {
  const sealed = sealSecret(JSON.stringify(value), AAD);
  // The cookie outlives the flow a little, so a late poll still learns "timed out" (and cleans up).
  return { value: `${sealed.keyId}.${sealed.sealed}`, maxAge: Math.ceil(LOGIN_FLOW_TIMEOUT_MS / 1000) + 300 };
}

/** Opens the cookie; null when absent, forged or sealed by a key no longer configured. */
export function openPendingLoginFlow(raw: string | undefined): TPendingLoginFlow | null {
  if (!raw) return null;
  const dot = raw.indexOf(".");
  if (dot < 1) return null;
  try {
    return ZPendingLoginFlowSchema.parse(JSON.parse(openSecret({ keyId: raw.slice(0, dot), sealed: raw.slice(dot + 1) }, AAD)));
  } catch {
    return null;
  }
}
