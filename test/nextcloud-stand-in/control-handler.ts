import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { TStandInDevice } from "./app-passwords";
import type { TProvisionedUser } from "./provision-user";
import type { TRequestLogEntry } from "./request-log";
import { STAND_IN_NOTICE } from "./stand-in-notice";

export const CONTROL_PREFIX = "/__stand-in/";

const ZLatencySchema = z.object({ ms: z.number().int().min(0).max(600_000) });

export interface TControlDeps {
  requests: () => TRequestLogEntry[];
  provisioned: () => TProvisionedUser[];
  reset: () => void;
  getLatencyMs: () => number;
  setLatencyMs: (ms: number) => void;
  devices: (uid?: string) => TStandInDevice[];
  removeDevice: (id: string) => boolean;
}

/**
 * Test-only control surface under `/__stand-in/`: read the request log and the provisioned users, reset
 * state, set WebDAV latency. No bearer is needed, so it only answers callers on the loopback interface.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, deps: TControlDeps): Promise<number> {
  if (!isLoopback(req.socket.remoteAddress)) return json(res, 403, { error: "control endpoints answer 127.0.0.1 only" });
  const route = `${req.method} ${url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, "")}`;
  const device = /^DELETE devices\/([A-Za-z0-9-]{1,64})$/.exec(route);
  if (device?.[1])
    return deps.removeDevice(device[1]) ? json(res, 200, { removed: device[1] }) : json(res, 404, { error: "no such device" });
  switch (route) {
    case "GET health":
      return json(res, 200, { standIn: true, notice: STAND_IN_NOTICE });
    case "GET requests": {
      const uid = url.searchParams.get("uid");
      const since = url.searchParams.get("since");
      // A cursor: `next` is where the log ends now; `after=<next>` later returns only what arrived since.
      const all = deps.requests();
      const after = Math.max(0, Number(url.searchParams.get("after") ?? 0) || 0);
      const requests = all.slice(after).filter((r) => (uid === null || r.uid === uid) && (since === null || r.time >= since));
      return json(res, 200, { requests, next: all.length });
    }
    case "GET provisioned":
      return json(res, 200, { users: deps.provisioned() });
    case "GET devices":
      return json(res, 200, { devices: deps.devices(url.searchParams.get("uid") ?? undefined) });
    case "POST reset":
      deps.reset();
      return json(res, 200, { reset: true });
    case "GET latency":
      return json(res, 200, { ms: deps.getLatencyMs() });
    case "POST latency": {
      const parsed = ZLatencySchema.safeParse(await readJson(req));
      if (!parsed.success) return json(res, 400, { error: 'expected JSON body {"ms": <integer 0..600000>}' });
      deps.setLatencyMs(parsed.data.ms);
      return json(res, 200, { ms: parsed.data.ms });
    }
    default:
      return json(res, 404, { error: `unknown control endpoint: ${route}` });
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

function json(res: ServerResponse, status: number, body: unknown): number {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
  return status;
}
