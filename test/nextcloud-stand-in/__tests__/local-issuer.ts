import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export interface TSignOptions {
  issuer?: string;
  audience?: string | string[];
  expiresAt?: number;
  /** Sign with a key that is not in the JWKS (same kid), to produce a bad signature. */
  foreignKey?: boolean;
}

/**
 * A throwaway token issuer for tests: a locally generated RS256 key pair whose public half is served as a
 * JWKS at Keycloak's path (`<issuer>/protocol/openid-connect/certs`).
 */
export async function startLocalIssuer() {
  const kid = "stand-in-test-key";
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const foreign = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const server = createServer((req, res) => {
    if (req.url === "/realms/test/protocol/openid-connect/certs") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/test`;

  async function sign(claims: Record<string, unknown>, options: TSignOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const key = options.foreignKey ? foreign.privateKey : privateKey;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? ["nextcloud", "account"])
      .setIssuedAt(now - 5)
      .setExpirationTime(options.expiresAt ?? now + 300)
      .sign(key);
  }

  return {
    issuer,
    sign,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
