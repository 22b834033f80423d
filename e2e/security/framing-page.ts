import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An attacker's page on another localhost port (same site as the dashboard, so the browser sends the
 * dashboard's SameSite=Lax session cookie along). It frames `target` on the dashboard next to a frame of
 * its own, which shows that framing as such works.
 */
export async function startFramingPage(dashboard: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://framer");
    res.setHeader("content-type", "text/html; charset=utf-8");
    if (url.pathname === "/own") {
      res.end(`<!doctype html><p id="own-content">The framing page's own frame</p>`);
      return;
    }
    const target = new URL(url.searchParams.get("target") ?? "/access", dashboard).toString();
    res.end(
      `<!doctype html><title>Win a prize</title><h1>Win a prize</h1>` +
        `<iframe id="own" src="/own" width="300" height="100"></iframe>` +
        `<iframe id="victim" src="${target}" width="900" height="700"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
