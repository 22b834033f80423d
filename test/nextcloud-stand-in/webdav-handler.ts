import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { v2 as webdav } from "webdav-server";
import type { TIdentity } from "./authenticate-request";
import { sendDavError } from "./nextcloud-responses";
import { seedUserTree } from "./seed-user-tree";

/** Where a WebDAV request points: whose tree, the mount prefix as sent, and the rest of the path (encoded). */
export interface TDavTarget {
  ownerUid: string | null;
  mount: string;
  rest: string;
}

/**
 * Recognises Nextcloud's WebDAV URLs: `/remote.php/dav/files/<uid>/…` and the legacy `/remote.php/webdav/…`
 * (always the caller's own files). Returns null when the path is not a WebDAV path at all.
 */
export function matchDavPath(rawPathname: string): TDavTarget | null {
  const files = /^(\/remote\.php\/dav\/files\/([^/]+))(\/.*)?$/.exec(rawPathname);
  if (files?.[1] && files[2]) {
    let uid: string;
    try {
      uid = decodeURIComponent(files[2]);
    } catch {
      return { ownerUid: "", mount: files[1], rest: "/" };
    }
    return { ownerUid: uid, mount: files[1], rest: files[3] ?? "/" };
  }
  const legacy = /^(\/remote\.php\/webdav)(\/.*)?$/.exec(rawPathname);
  if (legacy?.[1]) return { ownerUid: null, mount: legacy[1], rest: legacy[2] ?? "/" };
  if (rawPathname === "/remote.php/dav" || rawPathname.startsWith("/remote.php/dav/")) {
    return { ownerUid: "", mount: rawPathname, rest: "/" };
  }
  return null;
}

/** Hands the already-authenticated user to webdav-server, which asks for it through this interface. */
class VerifiedUserAuthentication implements webdav.HTTPAuthentication {
  constructor(private readonly verified: WeakMap<IncomingMessage, webdav.IUser>) {}

  askForAuthentication(): { [header: string]: string } {
    return {};
  }

  getUser(ctx: webdav.HTTPRequestContext, callback: (error: Error, user?: webdav.IUser) => void): void {
    const user = this.verified.get(ctx.request);
    if (user) callback(undefined as unknown as Error, user);
    else callback(webdav.Errors.BadAuthentication);
  }
}

export interface TWebdavHandlerOptions {
  seedDir: string;
  latencyMs: () => number;
  /** Resolves when the request may be served (a test holding requests in flight); served at once when absent. */
  held?: (uid: string) => Promise<void>;
}

/**
 * Serves each user's files through the real `webdav-server` library (one in-memory tree per user, seeded on
 * first use) behind the stand-in's token check. A user may only reach their own tree: another user's path
 * is answered 403 before the library sees the request.
 */
export function createWebdavHandler(options: TWebdavHandlerOptions) {
  const verified = new WeakMap<IncomingMessage, webdav.IUser>();
  const authentication = new VerifiedUserAuthentication(verified);
  let servers = new Map<string, webdav.WebDAVServer>();

  function serverFor(uid: string): webdav.WebDAVServer {
    let server = servers.get(uid);
    if (!server) {
      server = new webdav.WebDAVServer({
        rootFileSystem: seedUserTree(options.seedDir, uid),
        requireAuthentification: true,
        httpAuthentication: authentication,
        respondWithPaths: true,
        serverName: "Nextcloud-stand-in",
        version: "not-a-real-nextcloud",
      });
      servers.set(uid, server);
    }
    return server;
  }

  return {
    /** Answers one WebDAV request for an authenticated identity; resolves with the status it chose, if any. */
    async handle(req: IncomingMessage, res: ServerResponse, target: TDavTarget, identity: TIdentity): Promise<void> {
      const uid = identity.user.uid;
      if (target.ownerUid === "") {
        sendDavError(res, 404, "Sabre\\DAV\\Exception\\NotFound", "File not found in the Nextcloud stand-in");
        return;
      }
      if (target.ownerUid !== null && target.ownerUid !== uid) {
        sendDavError(res, 403, "Sabre\\DAV\\Exception\\Forbidden", `${uid} may not access the files of another user`);
        return;
      }
      const delay = options.latencyMs();
      if (delay > 0) await sleep(delay);
      await options.held?.(uid);
      verified.set(req, { uid, username: uid, isAdministrator: false, isDefaultUser: false });
      const query = req.url?.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
      req.url = target.rest + query;
      serverFor(uid).executeRequest(req, res, target.mount);
    },

    /** Drops every user's tree; the next request re-seeds it. */
    reset(): void {
      servers = new Map();
    },
  };
}
