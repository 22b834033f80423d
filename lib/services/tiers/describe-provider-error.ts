import { OAuthProviderError } from "../../oauth/oauth-errors";
import { redact } from "../../logger";

/**
 * The provider's answer as evidence: Keycloak's `error: error_description` verbatim (with the HTTP
 * status), or the message of any other failure. Passed through redaction, so it can be stored and shown.
 */
export function describeProviderError(err: unknown): { response: string; errorCode: string | null } {
  if (err instanceof OAuthProviderError) {
    const words = err.errorDescription ? `${err.error}: ${err.errorDescription}` : err.error;
    return { response: `${words}${err.status ? ` (HTTP ${err.status})` : ""}`, errorCode: err.error };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    response: String(redact(message)),
    errorCode: err instanceof Error && "code" in err ? String((err as { code: unknown }).code) : null,
  };
}
