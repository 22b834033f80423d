import "server-only";
import { AppError } from "../../errors";
import type { TDelegatedNextcloud } from "../delegated-nextcloud";
import { PROPFIND_BODY } from "../webdav-multistatus";

/** The Nextcloud user id the token maps to (OCS), which WebDAV paths are built from. */
export async function readNextcloudUserId(nc: TDelegatedNextcloud): Promise<string> {
  const res = await nc.request({
    method: "GET",
    path: "/ocs/v2.php/cloud/user?format=json",
    headers: { "OCS-APIRequest": "true", accept: "application/json" },
  });
  if (!res.ok) throw new AppError("ProviderError", `Nextcloud OCS user lookup failed with HTTP ${res.status}`);
  const body = (await res.json()) as { ocs?: { data?: { id?: string } } };
  const id = body.ocs?.data?.id;
  if (!id) throw new AppError("ProviderError", "Nextcloud OCS answered without a user id");
  return id;
}

/** PROPFIND with Depth 1 below the user's files root. */
export async function propfind(nc: TDelegatedNextcloud, uid: string, relative: string): Promise<string> {
  const res = await nc.request({
    method: "PROPFIND",
    path: `/remote.php/dav/files/${encodeURIComponent(uid)}/${relative.split("/").filter(Boolean).map(encodeURIComponent).join("/")}${relative.endsWith("/") || relative === "" ? "/" : ""}`,
    headers: { depth: "1", "content-type": "application/xml; charset=utf-8" },
    body: PROPFIND_BODY,
  });
  if (res.status === 404) return "";
  if (res.status !== 207) throw new AppError("ProviderError", `PROPFIND ${relative || "/"} answered HTTP ${res.status}`);
  return res.text();
}
