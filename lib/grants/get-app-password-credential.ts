import "server-only";
import { db } from "../db";
import { AppError } from "../errors";
import { openSecret } from "../vault/token-vault";
import { asAppPassword, type TAppPasswordCredential } from "../nextcloud/app-password-types";
import { nextcloudAccountOf } from "../nextcloud/nextcloud-account-of";
import { grantSecretAad } from "./grant-secret-aad";

export type TGrantMechanism = "offline_access" | "app_password";

/** lastUsedAt is a hint for people: written at most this often per grant. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** Which mechanism a grant uses (it never changes for a grant); NotFound when there is no such grant. */
export async function grantMechanismOf(grantId: string): Promise<TGrantMechanism> {
  const grant = await db().grant.findUnique({ where: { id: grantId }, select: { mechanism: true } });
  if (!grant) throw new AppError("NotFound", `Grant ${grantId} does not exist`);
  return grant.mechanism;
}

/**
 * The app password of an active app-password grant, opened from the vault, with the person's own
 * Nextcloud account (what the Nextcloud client checks the login name against). The app-password
 * counterpart of getDelegatedToken: refuses grants that are not active (ConsentRevoked).
 */
export async function getAppPasswordCredential(
  grantId: string,
): Promise<{ credential: TAppPasswordCredential; expectedLoginName: string; userSub: string }> {
  const grant = await db().grant.findUnique({ where: { id: grantId }, include: { user: { select: { username: true } } } });
  if (!grant) throw new AppError("NotFound", `Grant ${grantId} does not exist`);
  if (grant.mechanism !== "app_password") throw new AppError("BadInput", `Grant ${grantId} is not an app-password grant`);
  if (grant.status !== "active" || !grant.refreshTokenEnc || !grant.nextcloudLoginName) {
    throw new AppError("ConsentRevoked", `Grant ${grant.id} is ${grant.status}, not active`, { grantId: grant.id, status: grant.status });
  }
  const appPassword = asAppPassword(openSecret({ keyId: grant.keyId, sealed: grant.refreshTokenEnc }, grantSecretAad(grant)));
  if (Date.now() - (grant.lastUsedAt?.getTime() ?? 0) > LAST_USED_GRANULARITY_MS) {
    await db().grant.updateMany({ where: { id: grant.id, status: "active" }, data: { lastUsedAt: new Date() } });
  }
  return {
    credential: { loginName: grant.nextcloudLoginName, appPassword },
    expectedLoginName: nextcloudAccountOf(grant.user),
    userSub: grant.userSub,
  };
}
