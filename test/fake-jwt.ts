/**
 * A JWT-shaped string built at run time (header and claims base64url-encoded, a signature that is not
 * one), so tests can check redaction and refusal without a token-looking literal in the repository.
 */
export function fakeJwt(
  claims: Record<string, unknown> = { sub: "alice", aud: "nextcloud" },
  header: Record<string, unknown> = { alg: "RS256", kid: "k1" },
): string {
  const part = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
  return `${part(header)}.${part(claims)}.${part("signature-part-of-a-jwt")}`;
}
