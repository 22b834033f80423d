import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createAuthenticator } from "./authenticate-request";
import { CONTROL_PREFIX, handleControl } from "./control-handler";
import { sendDavError, unauthorizedChallenges } from "./nextcloud-responses";
import { handleOcsCurrentUser, matchOcsUserRoute, sendOcsUnauthorized } from "./ocs-handler";
import { UserDirectory, type TProvisionedUser, type TStandInUser } from "./provision-user";
import { RequestLog, type TRequestLogEntry } from "./request-log";
import { STAND_IN_NOTICE } from "./stand-in-notice";
import { createBearerVerifier } from "./verify-bearer";
import { createWebdavHandler, matchDavPath } from "./webdav-handler";

export type { TRequestLogEntry } from "./request-log";
export type { TProvisionedUser } from "./provision-user";

export interface TStandInOptions {
  /** 0 picks a free port. */
  port: number;
  /** Keycloak realm issuer; its JWKS is read from `${issuer}/protocol/openid-connect/certs`. */
  issuer: string;
  /** Required in the token's `aud`. Default `nextcloud`. */
  audience?: string;
  /** HTTP Basic account (Tier 0). Both must be set for Basic auth to be accepted. */
  adminUser?: string;
  adminPassword?: string;
  /** Folder with `<uid>/` and `default/` seed trees. Default: test/nextcloud-stand-in/seed. */
  seedDir?: string;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Initial artificial delay before each WebDAV request is served. Default 0. */
  latencyMs?: number;
}

export interface TNextcloudStandIn {
  url: string;
  close(): Promise<void>;
  requests(): TRequestLogEntry[];
  provisioned(): TProvisionedUser[];
  /** Clears the request log, forgets provisioned users, re-seeds every tree, restores the initial latency. */
  reset(): void;
  setLatencyMs(ms: number): void;
  /**
   * Holds every WebDAV request that arrives from now on (logged, authenticated, not yet answered) until
   * `release()`; `arrived` resolves when the first one is held. For tests that act while a request is in flight.
   */
  holdWebdav(): { arrived: Promise<void>; release(): void };
}

export const DEFAULT_SEED_DIR = fileURLToPath(new URL("./seed/", import.meta.url));

/**
 * Starts the Nextcloud stand-in — not a real Nextcloud: an HTTP server that behaves like Nextcloud with
 * user_oidc (bearer validation and bearer provisioning on) for WebDAV and the OCS user endpoint, plus
 * `/__stand-in/` control endpoints for tests. Resolves once it is listening.
 */
export async function startNextcloudStandIn(options: TStandInOptions): Promise<TNextcloudStandIn> {
  const host = options.host ?? "127.0.0.1";
  const initialLatency = options.latencyMs ?? 0;
  let latencyMs = initialLatency;
  const admin = options.adminUser && options.adminPassword ? { user: options.adminUser, password: options.adminPassword } : null;
  const builtIn: TStandInUser[] = admin
    ? [{ uid: admin.user, displayName: admin.user, email: null, backend: "Database", createdAt: new Date().toISOString() }]
    : [];

  const log = new RequestLog();
  const users = new UserDirectory(builtIn);
  const authenticate = createAuthenticator({
    verifyBearer: createBearerVerifier({ issuer: options.issuer, audience: options.audience ?? "nextcloud" }),
    users,
    admin,
  });
  let hold: { gate: Promise<void>; arrived: () => void } | null = null;
  const held = async () => {
    if (!hold) return;
    hold.arrived();
    await hold.gate;
  };
  const holdWebdav = () => {
    let release!: () => void;
    let arrived!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const arrival = new Promise<void>((r) => (arrived = r));
    const mine = { gate, arrived };
    hold = mine;
    return {
      arrived: arrival,
      release() {
        if (hold === mine) hold = null;
        release();
      },
    };
  };
  const dav = createWebdavHandler({ seedDir: options.seedDir ?? DEFAULT_SEED_DIR, latencyMs: () => latencyMs, held });
  const reset = () => {
    log.clear();
    users.reset();
    dav.reset();
    latencyMs = initialLatency;
  };
  const setLatencyMs = (ms: number) => {
    latencyMs = ms;
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader("X-Nextcloud-Stand-In", "not a real Nextcloud");
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    const url = new URL(req.url ?? "/", "http://stand-in.invalid");
    if (rawPath.startsWith(CONTROL_PREFIX)) {
      await handleControl(req, res, url, { requests: () => log.list(), provisioned: () => users.provisioned(), reset, getLatencyMs: () => latencyMs, setLatencyMs });
      return;
    }

    const entry = log.begin(req.method ?? "GET", rawPath);
    res.on("finish", () => {
      entry.status = res.statusCode;
    });

    if (rawPath === "/status.php") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ installed: true, maintenance: false, needsDbUpgrade: false, version: "0.0.0.0", versionstring: "stand-in", productname: STAND_IN_NOTICE }));
      return;
    }
    const ocsVersion = matchOcsUserRoute(rawPath);
    const davTarget = ocsVersion === null ? matchDavPath(rawPath) : null;
    if (ocsVersion === null && davTarget === null) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(`Not found (${STAND_IN_NOTICE})\n`);
      return;
    }

    const auth = await authenticate(req);
    if (auth.ok) {
      entry.uid = auth.identity.user.uid;
      entry.sub = auth.identity.sub;
      entry.azp = auth.identity.azp;
      entry.auth = auth.identity.auth;
    }
    if (ocsVersion !== null) {
      if (!auth.ok) sendOcsUnauthorized(req, res, url, auth.description);
      else handleOcsCurrentUser(req, res, url, ocsVersion, auth.identity);
      return;
    }
    if (davTarget) {
      if (!auth.ok) {
        sendDavError(res, 401, "Sabre\\DAV\\Exception\\NotAuthenticated", `No valid credentials: ${auth.description}`, {
          "WWW-Authenticate": unauthorizedChallenges(auth.description),
        });
      } else {
        await dav.handle(req, res, davTarget, auth.identity);
      }
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      console.error("[nextcloud-stand-in] request failed", e);
      if (!res.headersSent) sendDavError(res, 500, "Sabre\\DAV\\Exception", "Internal error in the Nextcloud stand-in");
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
    requests: () => log.list(),
    provisioned: () => users.provisioned(),
    reset,
    setLatencyMs,
    holdWebdav,
  };
}
