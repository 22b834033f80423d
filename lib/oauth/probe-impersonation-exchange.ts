import "server-only";
import { decodeJwt } from "jose";
import { ACCESS_TOKEN_TYPE, postExchange } from "./exchange-token";
import { OAuthProviderError } from "./oauth-errors";
import type { TOAuthCallContext } from "./report-oauth-event";
import type { TExchangeSubjectToken } from "./token-types";

/** Evidence for the tier status page. Never a token: an impersonation token must not be usable. */
export type TImpersonationProbeResult =
  | { supported: true; claims: { sub: unknown; azp: unknown; aud: unknown; preferred_username: unknown } }
  | { supported: false; error: string; errorDescription: string | null; status: number | null };

/**
 * The Tier-1 probe: asks Keycloak to exchange a token for one that impersonates `requestedSubject`.
 * This is the only code path that sends `requested_subject`. Whatever Keycloak answers is returned as
 * evidence; if it ever issues a token, only its identifying claims are kept and the token is dropped.
 */
export async function probeImpersonationExchange(
  input: { subjectToken: TExchangeSubjectToken; requestedSubject: string; audience?: string },
  ctx: TOAuthCallContext,
): Promise<TImpersonationProbeResult> {
  const params: Record<string, string> = {
    subject_token: input.subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    requested_token_type: ACCESS_TOKEN_TYPE,
    requested_subject: input.requestedSubject,
  };
  if (input.audience) params.audience = input.audience;
  try {
    const res = await postExchange(params, ctx, { audience: input.audience, mechanism: "impersonation-probe" });
    const c = decodeJwt(res.access_token);
    return { supported: true, claims: { sub: c.sub, azp: c.azp, aud: c.aud, preferred_username: c.preferred_username } };
  } catch (err) {
    if (err instanceof OAuthProviderError) {
      return { supported: false, error: err.error, errorDescription: err.errorDescription ?? null, status: err.status ?? null };
    }
    throw err;
  }
}
