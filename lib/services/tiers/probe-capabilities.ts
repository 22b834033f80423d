import "server-only";
import type { TNextcloudRequest } from "../../oauth/nextcloud-client";
import { NEXTCLOUD_APIS, type TCapability, type TNextcloudApi } from "./tier-types";
import { discardBody } from "../../nextcloud/discard-body";

/** The request the matrix makes to each API for the account `uid` (read-only, Depth 0 where DAV). */
export function capabilityRequest(api: TNextcloudApi, uid: string): TNextcloudRequest {
  const u = encodeURIComponent(uid);
  const dav = (path: string): TNextcloudRequest => ({
    method: "PROPFIND",
    path,
    headers: { depth: "0", "content-type": "application/xml; charset=utf-8" },
  });
  switch (api) {
    case "webdav-files":
      return dav(`/remote.php/dav/files/${u}/`);
    case "ocs-user":
      return {
        method: "GET",
        path: "/ocs/v2.php/cloud/user?format=json",
        headers: { "ocs-apirequest": "true", accept: "application/json" },
      };
    case "caldav":
      return dav(`/remote.php/dav/calendars/${u}/`);
    case "carddav":
      return dav(`/remote.php/dav/addressbooks/users/${u}/`);
    case "notes-api":
      return { method: "GET", path: "/index.php/apps/notes/api/v1/notes", headers: { accept: "application/json" } };
  }
}

/**
 * Asks every Nextcloud API of the matrix once with one mechanism's credential (`send` attaches it and
 * audits the request) and records Nextcloud's verbatim HTTP status. A request that could not be made
 * (refused before sending, unreachable) has status null and says why. Never throws.
 */
export async function probeCapabilities(uid: string, send: (req: TNextcloudRequest) => Promise<Response>): Promise<TCapability[]> {
  const out: TCapability[] = [];
  for (const api of NEXTCLOUD_APIS) {
    const req = capabilityRequest(api, uid);
    const request = `${req.method} ${req.path}`;
    try {
      const res = await send(req);
      await discardBody(res);
      out.push({ api, request, status: res.status, answer: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}` });
    } catch (err) {
      out.push({ api, request, status: null, answer: err instanceof Error ? err.message : "request failed" });
    }
  }
  return out;
}
