import "server-only";
import { z } from "zod";
import { openSecret, sealSecret } from "../../vault/token-vault";
import type { TConsentChecks } from "../../oauth/build-consent-request";

/** Cookie holding the consent request's secrets (PKCE verifier, state, nonce) between redirect and callback. */
export const PENDING_CONSENT_COOKIE = "ncdd.pending-consent";
const AAD = "cookie:pending-consent";
const MAX_AGE_SECONDS = 600;

const ZPendingConsentSchema = z.object({
  checks: z.object({
    state: z.string(),
    nonce: z.string(),
    codeVerifier: z.string(),
    redirectUri: z.string(),
    requestedScopes: z.array(z.string()),
  }),
  userSub: z.string(),
  loginSessionId: z.string(),
  taskType: z.string().nullable(),
  createdAt: z.number(),
});

export type TPendingConsent = z.infer<typeof ZPendingConsentSchema> & { checks: TConsentChecks };

/**
 * Seals the pending consent with the vault (AES-GCM: confidential and tamper-evident), so the PKCE
 * verifier never sits readable in the browser and a forged cookie cannot open.
 */
export function sealPendingConsent(value: TPendingConsent): { value: string; maxAge: number } {
  const sealed = sealSecret(JSON.stringify(value), AAD);
  return { value: `${sealed.keyId}.${sealed.sealed}`, maxAge: MAX_AGE_SECONDS };
}

/** Opens the cookie; null when absent, forged, expired or sealed by a key no longer configured. */
export function openPendingConsent(raw: string | undefined): TPendingConsent | null {
  if (!raw) return null;
  const dot = raw.indexOf(".");
  if (dot < 1) return null;
  try {
    const json = openSecret({ keyId: raw.slice(0, dot), sealed: raw.slice(dot + 1) }, AAD);
    const parsed = ZPendingConsentSchema.parse(JSON.parse(json));
    if (Date.now() - parsed.createdAt > MAX_AGE_SECONDS * 1000) return null;
    return parsed;
  } catch {
    return null;
  }
}
