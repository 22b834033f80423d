import "server-only";
import type { NextAuthOptions } from "next-auth";
import KeycloakProvider from "next-auth/providers/keycloak";
import { env } from "../env";
import { startLoginSession } from "./start-login-session";

type TKeycloakProfile = {
  sub: string;
  preferred_username?: string;
  name?: string;
  email?: string;
  sid?: string;
  realm_roles?: string[];
};

let cached: NextAuthOptions | undefined;

/**
 * next-auth v4 configuration, built on first use so that `next build` needs no secrets.
 * The session cookie carries only who the user is and a login-session id: Keycloak's tokens stay in
 * the database, sealed by the token vault, and never reach the browser.
 */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const e = env();
  cached = {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      KeycloakProvider({
        clientId: e.KEYCLOAK_DASHBOARD_CLIENT_ID,
        clientSecret: e.KEYCLOAK_DASHBOARD_CLIENT_SECRET,
        issuer: e.KEYCLOAK_ISSUER,
        checks: ["pkce", "state", "nonce"],
        authorization: { params: { scope: "openid profile email" } },
      }),
    ],
    callbacks: {
      async jwt({ token, account, profile }) {
        if (!account || !profile) return token;
        const p = profile as TKeycloakProfile;
        const loginSessionId = await startLoginSession({
          sub: p.sub,
          username: p.preferred_username ?? p.sub,
          name: p.name ?? null,
          email: p.email ?? null,
          keycloakSid: p.sid ?? null,
          idToken: account.id_token ?? "",
          accessToken: account.access_token ?? "",
          refreshToken: account.refresh_token ?? null,
          accessExpiresAt: new Date((account.expires_at ?? Math.floor(Date.now() / 1000) + 300) * 1000),
          roles: p.realm_roles ?? [],
        });
        return {
          sub: p.sub,
          name: p.name ?? p.preferred_username ?? null,
          email: p.email ?? null,
          username: p.preferred_username ?? p.sub,
          roles: p.realm_roles ?? [],
          lsid: loginSessionId,
        };
      },
      async session({ session, token }) {
        // Only identity and roles go to the client; no token of any kind.
        session.user = {
          sub: String(token.sub),
          name: (token.name as string | null) ?? null,
          email: (token.email as string | null) ?? null,
          username: typeof token.username === "string" ? token.username : String(token.sub),
          isAdmin: Array.isArray(token.roles) && token.roles.includes(env().KEYCLOAK_ADMIN_ROLE),
        };
        return session;
      },
    },
  };
  return cached;
}
