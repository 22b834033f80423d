import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { db } from "../db";
import { AppError } from "../errors";
import { appendAuditEvents } from "../audit/record-event";
import { sealSecret } from "../vault/token-vault";
import { workerClient } from "../oauth/get-oidc-config";
import type { TAppPasswordCredential } from "../nextcloud/app-password-types";
import { grantSecretAad } from "./grant-secret-aad";
import { lockActiveGrantOf } from "./lock-grant";

/**
 * Stores a verified Nextcloud app password as the person's app-password grant for the worker (one active
 * per person, beside their OAuth grant): sealed by the vault like a refresh token, with the login name it
 * belongs to, audited in the same transaction. The caller has checked that the login name is the
 * person's own Nextcloud account. A person who already holds an active app-password grant gets Conflict
 * and nothing is stored (the caller deletes the new app password at Nextcloud).
 */
export async function storeAppPasswordGrant(input: {
  userSub: string;
  credential: TAppPasswordCredential;
  correlationId: string;
}): Promise<{ grantId: string }> {
  const clientId = workerClient().clientId;
  try {
    return await db().$transaction(async (tx) => {
      if (await lockActiveGrantOf(tx, input.userSub, clientId, "app_password")) {
        throw new AppError("Conflict", "You already connected an app password; revoke it first");
      }
      const grantId = randomUUID();
      const sealed = sealSecret(input.credential.appPassword, grantSecretAad({ id: grantId, mechanism: "app_password" }));
      const now = new Date();
      await tx.grant.create({
        data: {
          id: grantId,
          userSub: input.userSub,
          clientId,
          mechanism: "app_password",
          nextcloudLoginName: input.credential.loginName,
          scopes: [],
          status: "active",
          keyId: sealed.keyId,
          refreshTokenEnc: sealed.sealed,
          lastRefreshAt: now,
          lastRefreshOk: true,
        },
      });
      await appendAuditEvents(tx, [
        {
          actor: input.userSub,
          actorType: "user",
          subject: input.userSub,
          action: "grant.created",
          resource: `grant:${grantId}`,
          outcome: "success",
          correlationId: input.correlationId,
          mechanism: "app-password",
          details: { loginName: input.credential.loginName, via: "nextcloud-login-flow-v2" },
        },
      ]);
      return { grantId };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("Conflict", "You already connected an app password; revoke it first");
    }
    throw error;
  }
}
