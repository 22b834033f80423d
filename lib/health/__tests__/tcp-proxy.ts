import { createServer, connect, type Server, type Socket } from "node:net";

export type TTcpProxy = { port: number; close(): Promise<void>; open(): Promise<void> };

/**
 * A TCP forwarder on 127.0.0.1 that tests stop and start to simulate an outage of a shared service
 * (PostgreSQL, Keycloak) without touching the service itself. `close` refuses new connections and cuts
 * the open ones; `open` listens again on the same port.
 */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TTcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on("close", () => sockets.delete(sock));
          sock.on("error", () => sock.destroy());
        }
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    async close() {
      const s = server;
      server = null;
      for (const sock of sockets) sock.destroy();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async open() {
      if (!server) await listen();
    },
  };
}
