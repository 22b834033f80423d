import "server-only";
import { db } from "../db";
import { env } from "../env";
import { vaultAad } from "../vault/aad";
import { sealSecret } from "../vault/token-vault";
import { randomUUID } from "node:crypto";
import { recordObservedEvent } from "../audit/record-event";

type TStartLoginSessionInput = {
  sub: string;
  username: string;
  name: string | null;
  email: string | null;
  keycloakSid: string | null;
  idToken: string;
  accessToken: string;
  refreshToken: string | null;
  accessExpiresAt: Date;
  roles: string[];
};

/**
 * Records a successful Keycloak sign-in: upserts the person and stores their foreground tokens sealed,
 * so the dashboard can act with the user's own token and end the Keycloak session at sign-out.
 * Returns the login-session id that the session cookie refers to.
 */
export async function startLoginSession(input: TStartLoginSessionInput): Promise<string> {
  const id = randomUUID();
  const idTok = sealSecret(input.idToken, vaultAad.loginId(id));
  const access = sealSecret(input.accessToken, vaultAad.loginAccess(id));
  const refresh = input.refreshToken ? sealSecret(input.refreshToken, vaultAad.loginRefresh(id)) : null;
  await db().$transaction([
    db().user.upsert({
      where: { sub: input.sub },
      create: { sub: input.sub, username: input.username, name: input.name, email: input.email },
      update: { username: input.username, name: input.name, email: input.email, lastSeenAt: new Date() },
    }),
    db().loginSession.create({
      data: {
        id,
        userSub: input.sub,
        keycloakSid: input.keycloakSid,
        keyId: idTok.keyId,
        idTokenEnc: idTok.sealed,
        accessTokenEnc: access.sealed,
        refreshTokenEnc: refresh?.sealed ?? null,
        accessExpiresAt: input.accessExpiresAt,
        roles: input.roles,
      },
    }),
  ]);
  await recordObservedEvent({
    actor: input.sub,
    actorType: input.roles.includes(env().KEYCLOAK_ADMIN_ROLE) ? "admin" : "user",
    subject: input.sub,
    action: "auth.sign_in",
    resource: `login-session:${id}`,
    outcome: "success",
    correlationId: randomUUID(),
    mechanism: "user-token",
    details: { username: input.username },
  });
  return id;
}
