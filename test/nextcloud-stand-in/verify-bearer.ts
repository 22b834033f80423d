import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";

export interface TBearerVerifierOptions {
  issuer: string;
  audience: string;
}

export type TBearerResult =
  { ok: true; claims: JWTPayload & Record<string, unknown> } | { ok: false; error: "invalid_token"; description: string };

/**
 * Builds the bearer check that user_oidc performs with "bearer validation" on: the JWT must be signed by a
 * key from the issuer's JWKS (`${issuer}/protocol/openid-connect/certs`, Keycloak's layout), carry exactly
 * that `iss`, list the audience in `aud`, and not be expired. Never throws: failures become a result.
 */
export function createBearerVerifier(options: TBearerVerifierOptions): (token: string) => Promise<TBearerResult> {
  const issuer = options.issuer.replace(/\/+$/, "");
  const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`), {
    timeoutDuration: 5_000,
    cooldownDuration: 1_000,
  });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience: options.audience });
      return { ok: true, claims: payload };
    } catch (e) {
      return { ok: false, error: "invalid_token", description: describe(e) };
    }
  };
}

function describe(e: unknown): string {
  if (e instanceof errors.JWTExpired) return "token expired";
  if (e instanceof errors.JWTClaimValidationFailed) return `claim check failed: ${e.claim} (${e.reason})`;
  if (e instanceof errors.JWSSignatureVerificationFailed) return "signature verification failed";
  if (e instanceof errors.JWKSNoMatchingKey) return "no matching key in the issuer's JWKS";
  if (e instanceof errors.JOSEError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : "token verification failed";
}
