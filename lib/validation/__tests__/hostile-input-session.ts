import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { startLoginSession } from "@/lib/auth/start-login-session";
import { sealSecret } from "@/lib/vault/token-vault";
import { vaultAad } from "@/lib/vault/aad";

export type TTestSession = { sub: string; cookie: string; loginSessionId: string };

/**
 * A signed-in person exactly as the sign-in callback makes one: a User and an open LoginSession row (through
 * startLoginSession) and next-auth's encrypted session cookie naming it. The sealed "tokens" are placeholders.
 */
export async function createTestSession(kind: "user" | "admin"): Promise<TTestSession> {
  const sub = `hostile-${kind}-${randomUUID()}`;
  const roles = kind === "admin" ? [env().KEYCLOAK_ADMIN_ROLE] : [];
  const loginSessionId = await startLoginSession({
    sub,
    username: `hostile-${kind}`,
    name: `Hostile ${kind}`,
    email: null,
    keycloakSid: null,
    idToken: "placeholder-id-token",
    accessToken: "placeholder-access-token",
    refreshToken: null,
    accessExpiresAt: new Date(Date.now() + 300_000),
    roles,
  });
  const jwt = await encode({
    token: { sub, name: `Hostile ${kind}`, email: null, username: `hostile-${kind}`, roles, lsid: loginSessionId },
    secret: env().NEXTAUTH_SECRET,
  });
  return { sub, cookie: `next-auth.session-token=${jwt}`, loginSessionId };
}

/** An active grant and a paused task of `userSub`, so that a request that wrongly acted would change them. */
export async function seedGrantAndTask(userSub: string): Promise<{ grantId: string; taskId: string }> {
  const grantId = `c${randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const sealed = sealSecret("placeholder-refresh-token", vaultAad.grantRefresh(grantId));
  await db().grant.create({
    data: {
      id: grantId,
      userSub,
      clientId: env().KEYCLOAK_WORKER_CLIENT_ID,
      scopes: ["offline_access"],
      status: "active",
      keyId: sealed.keyId,
      refreshTokenEnc: sealed.sealed,
    },
  });
  const task = await db().task.create({ data: { userSub, type: "notes-index", grantId, status: "paused", intervalMinutes: 60 } });
  return { grantId, taskId: task.id };
}

/**
 * Marks the sessions as just confirmed by Keycloak, as a successful re-check would. Their placeholder tokens
 * cannot really be refreshed, so a file that runs longer than the re-check interval (5 minutes) would
 * otherwise see its own sessions end half-way.
 */
export async function reconfirmTestSessions(...sessions: TTestSession[]): Promise<void> {
  await db().loginSession.updateMany({
    where: { id: { in: sessions.map((s) => s.loginSessionId) }, endedAt: null },
    data: { confirmedAt: new Date(), accessExpiresAt: new Date(Date.now() + 300_000) },
  });
}
