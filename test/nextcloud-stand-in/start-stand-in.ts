import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { handleAppApi, matchAppApi, sendImpersonateCsrfRefusal, sendOidcProviderDiscovery } from "./app-api-handler";
import { AppPasswordStore, type TStandInDevice } from "./app-passwords";
import { createAuthenticator } from "./authenticate-request";
import { CONTROL_PREFIX, handleControl } from "./control-handler";
import { sendDavError, unauthorizedChallenges } from "./nextcloud-responses";
import { handleDeleteAppPassword, handleLoginFlow, matchAppPasswordRoute, matchLoginFlowRoute } from "./login-flow-handler";
import { handleOcsCurrentUser, matchOcsUserRoute, sendOcsUnauthorized } from "./ocs-handler";
import { UserDirectory, type TProvisionedUser, type TStandInUser } from "./provision-user";
import { RequestLog, type TRequestLogEntry } from "./request-log";
import { STAND_IN_NOTICE } from "./stand-in-notice";
import { createBearerVerifier } from "./verify-bearer";
import { createWebdavHandler, matchDavPath } from "./webdav-handler";

export type { TRequestLogEntry } from "./request-log";
export type { TProvisionedUser } from "./provision-user";
export type { TStandInDevice } from "./app-passwords";

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
  /** The URL Login Flow v2 answers point at (`login`, `poll.endpoint`, `server`). Default: where it listens. */
  publicUrl?: string;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Initial artificial delay before each WebDAV request is served. Default 0. */
  latencyMs?: number;
  /** How long a Login Flow v2 stays open. Default 20 minutes, like Nextcloud. */
  loginFlowTtlMs?: number;
  /** Serve the discovery document of Nextcloud's own OIDC provider app ("oidc"). Default true. */
  oidcProviderApp?: boolean;
  /** Pretend the Impersonate app is installed (its route answers instead of 404). Default false. */
  impersonateApp?: boolean;
}

export interface TNextcloudStandIn {
  url: string;
  close(): Promise<void>;
  requests(): TRequestLogEntry[];
  provisioned(): TProvisionedUser[];
  /** Clears the request log, forgets provisioned users, re-seeds every tree, restores the initial latency. */
  reset(): void;
  setLatencyMs(ms: number): void;
  /** App passwords (Devices & sessions), optionally of one account. */
  devices(uid?: string): TStandInDevice[];
  /** What "Revoke" in Devices & sessions does: the app password answers 401 from then on. */
  removeDevice(id: string): boolean;
  /** Changes how long Login Flow v2 flows stay open (tests of a flow that times out). */
  setLoginFlowTtlMs(ms: number): void;
  /**
   * Holds every WebDAV request (of user `uid` only, when given) that arrives from now on — logged,
   * authenticated, not yet answered — until `release()`; `arrived` resolves when the first one is held.
   * For tests that act while a request is in flight.
   */
  holdWebdav(only?: { uid: string }): { arrived: Promise<void>; release(): void };
}

export const DEFAULT_SEED_DIR = fileURLToPath(new URL("./seed/", import.meta.url));

/**
 * Starts the Nextcloud stand-in — not a real Nextcloud: an HTTP server that behaves like Nextcloud with
 * user_oidc (bearer validation and bearer provisioning on) for WebDAV and the OCS user endpoint, Login Flow
 * v2 with app passwords (Basic auth everywhere, deletion, Devices & sessions), CalDAV/CardDAV/Notes API
 * that refuse bearer tokens as the real server does, plus `/__stand-in/` control endpoints for tests.
 * Resolves once it is listening.
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
  let loginFlowTtlMs = options.loginFlowTtlMs ?? 20 * 60_000;
  const appPasswords = new AppPasswordStore(() => loginFlowTtlMs);
  const authenticate = createAuthenticator({
    verifyBearer: createBearerVerifier({ issuer: options.issuer, audience: options.audience ?? "nextcloud" }),
    users,
    admin,
    appPasswords,
  });
  const seedDir = options.seedDir ?? DEFAULT_SEED_DIR;
  let baseUrl = "";
  let hold: { gate: Promise<void>; arrived: () => void; uid?: string } | null = null;
  const held = async (uid: string) => {
    const current = hold;
    if (!current || (current.uid !== undefined && current.uid !== uid)) return;
    current.arrived();
    await current.gate;
  };
  const holdWebdav = (only?: { uid: string }) => {
    let release!: () => void;
    let arrived!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const arrival = new Promise<void>((r) => (arrived = r));
    const mine = { gate, arrived, uid: only?.uid };
    hold = mine;
    return {
      arrived: arrival,
      release() {
        if (hold === mine) hold = null;
        release();
      },
    };
  };
  const dav = createWebdavHandler({ seedDir, latencyMs: () => latencyMs, held });
  const reset = () => {
    log.clear();
    users.reset();
    dav.reset();
    appPasswords.reset();
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
      await handleControl(req, res, url, {
        requests: () => log.list(),
        provisioned: () => users.provisioned(),
        reset,
        getLatencyMs: () => latencyMs,
        setLatencyMs,
        devices: (uid) => appPasswords.listDevices(uid),
        removeDevice: (id) => appPasswords.deleteDevice(id),
      });
      return;
    }

    const entry = log.begin(req.method ?? "GET", rawPath);
    res.on("finish", () => {
      entry.status = res.statusCode;
    });

    if (rawPath === "/status.php") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          installed: true,
          maintenance: false,
          needsDbUpgrade: false,
          version: "0.0.0.0",
          versionstring: "stand-in",
          productname: STAND_IN_NOTICE,
        }),
      );
      return;
    }
    const flowRoute = matchLoginFlowRoute(rawPath);
    if (flowRoute) {
      await handleLoginFlow(req, res, flowRoute, { baseUrl, appPasswords, loginUser: (uid) => void users.loginUser(uid) });
      return;
    }
    if (options.oidcProviderApp !== false && /^(\/index\.php)?\/\.well-known\/openid-configuration$/.test(rawPath)) {
      sendOidcProviderDiscovery(res, baseUrl);
      return;
    }
    if (options.impersonateApp && /^(\/index\.php)?\/apps\/impersonate\/user$/.test(rawPath)) {
      sendImpersonateCsrfRefusal(res);
      return;
    }
    const appApi = matchAppApi(rawPath);
    const appPasswordVersion = appApi ? null : matchAppPasswordRoute(rawPath);
    const ocsVersion = appApi || appPasswordVersion ? null : matchOcsUserRoute(rawPath);
    const davTarget = appApi || appPasswordVersion || ocsVersion !== null ? null : matchDavPath(rawPath);
    if (!appApi && appPasswordVersion === null && ocsVersion === null && davTarget === null) {
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
    if (appApi) {
      handleAppApi(req, res, appApi, auth, seedDir);
      return;
    }
    if (appPasswordVersion !== null) {
      if (!auth.ok) sendOcsUnauthorized(req, res, url, auth.description);
      else handleDeleteAppPassword(req, res, url, appPasswordVersion, auth.identity, appPasswords);
      return;
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
  baseUrl = options.publicUrl?.replace(/\/+$/, "") ?? `http://${urlHost}:${port}`;

  return {
    url: `http://${urlHost}:${port}`,
    devices: (uid) => appPasswords.listDevices(uid),
    removeDevice: (id) => appPasswords.deleteDevice(id),
    setLoginFlowTtlMs: (ms) => {
      loginFlowTtlMs = ms;
    },
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
