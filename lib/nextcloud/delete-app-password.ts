import "server-only";
import { AppError } from "../errors";
import type { TAppPasswordCredential } from "./app-password-types";
import { nextcloudAppPasswordRequest, type TAppPasswordCallContext } from "./app-password-request";
import { discardBody } from "./discard-body";

export const OCS_USER_PATH = "/ocs/v2.php/cloud/user?format=json";
const OCS_HEADERS = { "ocs-apirequest": "true", accept: "application/json" };

export type TAppPasswordDeletion = {
  /** Nextcloud's answer to `DELETE /ocs/v2.php/core/apppassword` (401: it was already gone). */
  deleteStatus: number;
  /** Nextcloud's answer to the request made with the app password right afterwards; 401 is the proof. */
  proofStatus: number;
  provedAt: Date;
  /** The receipt's sentence, with both verbatim statuses; null while Nextcloud still accepts it. */
  proof: string | null;
};

/**
 * Deletes an app password at Nextcloud (`DELETE /ocs/v2.php/core/apppassword`, authenticated with that
 * very app password) and proves it: a following request with it (`GET /ocs/v2.php/cloud/user`) must
 * answer 401. A delete answered 401 means it was already gone (e.g. removed in Devices & sessions); the
 * proof request decides either way. Throws ProviderError when Nextcloud cannot be reached.
 */
export async function deleteAppPassword(credential: TAppPasswordCredential, ctx: TAppPasswordCallContext): Promise<TAppPasswordDeletion> {
  const del = await nextcloudAppPasswordRequest(
    credential,
    { method: "DELETE", path: "/ocs/v2.php/core/apppassword?format=json", headers: OCS_HEADERS },
    { ...ctx, action: "nextcloud.app_password_delete" },
  );
  await discardBody(del);
  return proveAppPasswordRefused(credential, ctx, del.status);
}

/** The proof step alone: one request with the app password; 401 means Nextcloud no longer accepts it. */
export async function proveAppPasswordRefused(
  credential: TAppPasswordCredential,
  ctx: TAppPasswordCallContext,
  deleteStatus = 0,
): Promise<TAppPasswordDeletion> {
  const res = await nextcloudAppPasswordRequest(
    credential,
    { method: "GET", path: OCS_USER_PATH, headers: OCS_HEADERS },
    { ...ctx, action: "nextcloud.app_password_proof" },
  );
  await discardBody(res);
  const provedAt = new Date();
  const proof =
    res.status === 401
      ? `At ${provedAt.toISOString()} Nextcloud answered HTTP 401 to GET ${OCS_USER_PATH.split("?")[0]} made with the deleted app password${deleteStatus ? ` (the delete itself answered HTTP ${deleteStatus})` : ""}`
      : null;
  return { deleteStatus, proofStatus: res.status, provedAt, proof };
}

/** Who an app password signs in as, by Nextcloud's own answer (OCS user id); null when refused. */
export async function readAppPasswordAccount(
  credential: TAppPasswordCredential,
  ctx: TAppPasswordCallContext,
): Promise<{ status: number; id: string | null }> {
  const res = await nextcloudAppPasswordRequest(credential, { method: "GET", path: OCS_USER_PATH, headers: OCS_HEADERS }, ctx);
  if (!res.ok) {
    await discardBody(res);
    return { status: res.status, id: null };
  }
  const body = (await res.json().catch(() => null)) as { ocs?: { data?: { id?: unknown } } } | null;
  const id = body?.ocs?.data?.id;
  if (typeof id !== "string") throw new AppError("ProviderError", "Nextcloud's OCS user answer has no user id");
  return { status: res.status, id };
}
