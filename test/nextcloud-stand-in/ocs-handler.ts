import type { IncomingMessage, ServerResponse } from "node:http";
import type { TIdentity } from "./authenticate-request";
import { sendOcs, unauthorizedChallenges } from "./nextcloud-responses";

/** Matches the OCS routes the stand-in serves, returning the API version, or null. */
export function matchOcsUserRoute(pathname: string): 1 | 2 | null {
  const m = /^\/ocs\/v([12])\.php\/cloud\/user\/?$/.exec(pathname);
  return m ? (m[1] === "1" ? 1 : 2) : null;
}

/** Nextcloud chooses JSON with `?format=json` or an `Accept: application/json` header; XML otherwise. */
export function ocsFormat(req: IncomingMessage, url: URL): "json" | "xml" {
  if (url.searchParams.get("format") === "json") return "json";
  return /application\/json/i.test(req.headers.accept ?? "") ? "json" : "xml";
}

/** `GET /ocs/v{1,2}.php/cloud/user`: the authenticated user's record, shaped like Nextcloud's provisioning API. */
export function handleOcsCurrentUser(req: IncomingMessage, res: ServerResponse, url: URL, version: 1 | 2, identity: TIdentity): number {
  const format = ocsFormat(req, url);
  if (req.method !== "GET") {
    sendOcs(res, { format, httpStatus: 405, ok: false, statusCode: 405, message: "Method not allowed", data: [] });
    return 405;
  }
  const u = identity.user;
  sendOcs(res, {
    format,
    httpStatus: 200,
    ok: true,
    statusCode: version === 2 ? 200 : 100,
    message: "OK",
    data: {
      enabled: true,
      id: u.uid,
      lastLogin: Date.now(),
      backend: u.backend,
      subadmin: [],
      quota: { free: 10 * 1024 ** 3, used: 0, total: 10 * 1024 ** 3, relative: 0, quota: -3 },
      email: u.email,
      additional_mail: [],
      displayname: u.displayName,
      "display-name": u.displayName,
      phone: "",
      address: "",
      website: "",
      twitter: "",
      groups: u.backend === "Database" ? ["admin"] : [],
      language: "en",
      locale: "",
      backendCapabilities: { setDisplayName: false, setPassword: u.backend === "Database" },
    },
  });
  return 200;
}

/** The 401 OCS sends for an unauthenticated request (status code 997, "Current user is not logged in"). */
export function sendOcsUnauthorized(req: IncomingMessage, res: ServerResponse, url: URL, description: string): number {
  sendOcs(res, {
    format: ocsFormat(req, url),
    httpStatus: 401,
    ok: false,
    statusCode: 997,
    message: "Current user is not logged in",
    data: [],
    headers: { "WWW-Authenticate": unauthorizedChallenges(description) },
  });
  return 401;
}
