import { existsSync, readdirSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { TIdentity } from "./authenticate-request";
import { sendDavError, unauthorizedChallenges } from "./nextcloud-responses";

export type TAppApi = "caldav" | "carddav" | "notes";

/**
 * The APIs beyond WebDAV files and OCS that the capability matrix asks about: CalDAV calendars, CardDAV
 * address books and the Notes app's REST API. What real Nextcloud with user_oidc does, and the stand-in
 * copies: these accept Basic auth (app passwords, passwords) but NOT user_oidc bearer tokens — bearer
 * validation only covers OCS and WebDAV files — so a bearer request answers 401 here.
 */
export function matchAppApi(pathname: string): { api: TAppApi; ownerUid: string | null } | null {
  const cal = /^\/remote\.php\/dav\/calendars\/([^/]+)(\/.*)?$/.exec(pathname);
  if (cal?.[1]) return { api: "caldav", ownerUid: safeDecode(cal[1]) };
  const card = /^\/remote\.php\/dav\/addressbooks\/users\/([^/]+)(\/.*)?$/.exec(pathname);
  if (card?.[1]) return { api: "carddav", ownerUid: safeDecode(card[1]) };
  if (/^(\/index\.php)?\/apps\/notes\/api\/v1\/notes\/?$/.test(pathname)) return { api: "notes", ownerUid: null };
  return null;
}

export function handleAppApi(
  req: IncomingMessage,
  res: ServerResponse,
  target: { api: TAppApi; ownerUid: string | null },
  auth: { ok: true; identity: TIdentity } | { ok: false; description: string },
  seedDir: string,
): number {
  if (!auth.ok || auth.identity.auth === "bearer") {
    const description = auth.ok
      ? "bearer tokens are not accepted by this API (user_oidc validates them for OCS and WebDAV only)"
      : auth.description;
    if (target.api === "notes") {
      res.writeHead(401, { "Content-Type": "application/json; charset=utf-8", "WWW-Authenticate": unauthorizedChallenges(description) });
      res.end(JSON.stringify({ message: "Current user is not logged in" }));
      return 401;
    }
    sendDavError(res, 401, "Sabre\\DAV\\Exception\\NotAuthenticated", `No public access to this resource., ${description}`, {
      "WWW-Authenticate": unauthorizedChallenges(description),
    });
    return 401;
  }
  const uid = auth.identity.user.uid;
  if (target.ownerUid !== null && target.ownerUid !== uid) {
    sendDavError(res, 404, "Sabre\\DAV\\Exception\\NotFound", `Principal with name ${target.ownerUid} not found`);
    return 404;
  }
  if (target.api === "notes") {
    if (req.method !== "GET") return plain(res, 405);
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(seedNotes(seedDir, uid)));
    return 200;
  }
  if (req.method !== "PROPFIND") return plain(res, 405);
  const base = target.api === "caldav" ? `/remote.php/dav/calendars/${uid}/` : `/remote.php/dav/addressbooks/users/${uid}/`;
  const child = target.api === "caldav" ? "personal" : "contacts";
  const kind = target.api === "caldav" ? "<cal:calendar/>" : "<card:addressbook/>";
  const response = (href: string, type: string) =>
    `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>${type}</d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
  res.writeHead(207, { "Content-Type": "application/xml; charset=utf-8" });
  res.end(
    '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav">' +
      response(base, "") +
      (req.headers.depth === "0" ? "" : response(`${base}${child}/`, kind)) +
      "</d:multistatus>\n",
  );
  return 207;
}

/** The Notes app's list: one entry per file at the top of the user's seeded Notes folder. */
function seedNotes(seedDir: string, uid: string): { id: number; title: string; category: string; modified: number; favorite: boolean }[] {
  const own = path.join(seedDir, uid, "Notes");
  const dir = existsSync(own) ? own : path.join(seedDir, "default", "Notes");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort()
    .map((f, i) => ({
      id: i + 1,
      title: f.replace(/\.(md|txt)$/, ""),
      category: "",
      modified: Math.floor(statSync(path.join(dir, f)).mtimeMs / 1000),
      favorite: false,
    }));
}

/**
 * Nextcloud's own OIDC provider app ("oidc"), when the stand-in is told it is installed: its discovery
 * document lists what the design note found, `grant_types_supported: ["authorization_code", "implicit"]`
 * — no refresh_token, no token exchange.
 */
export function sendOidcProviderDiscovery(res: ServerResponse, baseUrl: string): number {
  res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
  res.end(
    JSON.stringify({
      issuer: baseUrl,
      authorization_endpoint: `${baseUrl}/index.php/apps/oidc/authorize`,
      token_endpoint: `${baseUrl}/index.php/apps/oidc/token`,
      userinfo_endpoint: `${baseUrl}/index.php/apps/oidc/userinfo`,
      jwks_uri: `${baseUrl}/index.php/apps/oidc/jwks`,
      scopes_supported: ["openid", "profile", "email", "roles", "groups"],
      response_types_supported: ["code", "code id_token", "id_token"],
      grant_types_supported: ["authorization_code", "implicit"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    }),
  );
  return 200;
}

/**
 * The Impersonate app's route, when the stand-in is told it is installed: without an admin's browser
 * session (cookie + CSRF token) Nextcloud refuses before the app runs, with 412 "CSRF check failed".
 */
export function sendImpersonateCsrfRefusal(res: ServerResponse): number {
  res.writeHead(412, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify({ message: "CSRF check failed" }));
  return 412;
}

function plain(res: ServerResponse, status: number): number {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(status === 405 ? "Method not allowed" : "");
  return status;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return "";
  }
}
