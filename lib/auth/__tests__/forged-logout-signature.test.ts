import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { SignJWT, generateKeyPair, type CryptoKey } from "jose";
import { db } from "@/lib/db";
import { startLoginSession } from "../start-login-session";
import { handleDashboardLogout } from "../handle-dashboard-logout";
import { handleBackchannelLogout } from "@/lib/services/grants/handle-backchannel-logout";

/**
 * A logout token that is right in every claim (iss, aud, iat, jti, events, sub, sid) and names the kid of
 * Keycloak's real signing key, but is signed with a key of our own: only the signature check can refuse it.
 * No Keycloak user signs in here (only the public JWKS is read), so this file needs no shared lock.
 */
const ISSUER = process.env.KEYCLOAK_ISSUER!;
const LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
let forgerKey: CryptoKey;
let keycloakKid: string;
const sub = `forged-${randomUUID()}`;
const sid = `sid-${randomUUID()}`;
let loginSessionId: string;

async function forge(audience: string, jti = randomUUID()): Promise<{ token: string; jti: string }> {
  const token = await new SignJWT({ events: { [LOGOUT_EVENT]: {} }, sid, revoke_offline_access: true })
    .setProtectedHeader({ alg: "RS256", kid: keycloakKid, typ: "logout+jwt" })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setSubject(sub)
    .setIssuedAt()
    .setJti(jti)
    .sign(forgerKey);
  return { token, jti };
}

beforeAll(async () => {
  const certs = (await (await fetch(`${ISSUER}/protocol/openid-connect/certs`)).json()) as {
    keys: { kid: string; alg?: string; use?: string }[];
  };
  const rs256 = certs.keys.find((k) => k.alg === "RS256" && k.use !== "enc");
  if (!rs256) throw new Error("Keycloak publishes no RS256 signing key");
  keycloakKid = rs256.kid;
  ({ privateKey: forgerKey } = await generateKeyPair("RS256"));
  // A real, open dashboard session and an active grant of this person: what a forger would want to end.
  loginSessionId = await startLoginSession({
    sub,
    username: sub,
    name: null,
    email: null,
    keycloakSid: sid,
    idToken: "id-token-placeholder",
    accessToken: "access-token-placeholder",
    refreshToken: null,
    accessExpiresAt: new Date(Date.now() + 60_000),
    roles: [],
  });
  await db().grant.create({
    data: {
      userSub: sub,
      clientId: process.env.KEYCLOAK_WORKER_CLIENT_ID!,
      keycloakSid: sid,
      scopes: ["offline_access", "notes.read"],
      keyId: "t2",
      refreshTokenEnc: "not-a-real-sealed-token",
      grantedAt: new Date(Date.now() - 60_000),
    },
  });
});

afterAll(async () => {
  await db().grant.deleteMany({ where: { userSub: sub } });
});

async function nothingChanged(jti: string) {
  expect(await db().seenLogoutToken.count({ where: { jti: { in: [jti, `dashboard:${jti}`] } } })).toBe(0);
  expect((await db().loginSession.findUniqueOrThrow({ where: { id: loginSessionId } })).endedAt).toBeNull();
  const grant = await db().grant.findFirstOrThrow({ where: { userSub: sub } });
  expect(grant.status).toBe("active");
  expect(grant.recheckAt).toBeNull();
  expect(
    await db().auditEvent.count({ where: { subject: sub, action: { in: ["auth.backchannel_logout", "auth.session_ended_by_keycloak"] } } }),
  ).toBe(0);
}

describe("a logout token with a forged signature", () => {
  it("is refused by the worker client's back-channel logout and changes nothing", async () => {
    const { token, jti } = await forge(process.env.KEYCLOAK_WORKER_CLIENT_ID!);
    await expect(handleBackchannelLogout(token)).rejects.toMatchObject({
      code: "BadInput",
      message: expect.stringMatching(/signature verification failed/),
    });
    await nothingChanged(jti);
  });

  it("is refused by the dashboard's back-channel logout and the session stays open", async () => {
    const { token, jti } = await forge(process.env.KEYCLOAK_DASHBOARD_CLIENT_ID!);
    await expect(handleDashboardLogout(token)).rejects.toMatchObject({
      code: "BadInput",
      message: expect.stringMatching(/signature verification failed/),
    });
    await nothingChanged(jti);
  });
});
