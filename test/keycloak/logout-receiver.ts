/**
 * Stands in for a back-channel logout endpoint in tests: a local HTTP server that captures the
 * logout tokens Keycloak really sends (point a client's `backchannel.logout.url` at `url`, with
 * withClientAttributes), so a handler can then be given exactly what Keycloak sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type TLogoutReceiver = { url: string; received: string[]; next(timeoutMs?: number): Promise<string>; close(): Promise<void> };

export async function startLogoutReceiver(path = "/backchannel-logout"): Promise<TLogoutReceiver> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const token = new URLSearchParams(body).get("logout_token");
      if (token) received.push(token);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    async next(timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        const t = received.shift();
        if (t) return t;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("Keycloak sent no back-channel logout token");
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
