import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AppPasswordStore } from "./app-passwords";
import type { TStandInUser, UserDirectory } from "./provision-user";
import type { TBearerResult } from "./verify-bearer";

export interface TIdentity {
  user: TStandInUser;
  auth: "bearer" | "basic" | "app-password";
  sub: string | null;
  azp: string | null;
  /** The app password's device, when the request authenticated with one. */
  deviceId?: string;
}

export type TAuthResult = { ok: true; identity: TIdentity } | { ok: false; description: string };

export interface TAuthenticatorOptions {
  verifyBearer: (token: string) => Promise<TBearerResult>;
  users: UserDirectory;
  admin: { user: string; password: string } | null;
  appPasswords: AppPasswordStore;
}

/**
 * Authenticates a Nextcloud-facing request the way Nextcloud + user_oidc does for API clients: a bearer JWT
 * (validated, then mapped/provisioned), or HTTP Basic: the one configured admin account (Tier 0), or
 * `loginName:appPassword` of an app password that Login Flow v2 issued and nobody deleted since.
 */
export function createAuthenticator(options: TAuthenticatorOptions): (req: IncomingMessage) => Promise<TAuthResult> {
  return async (req) => {
    const header = req.headers.authorization ?? "";
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (bearer?.[1]) {
      const verified = await options.verifyBearer(bearer[1]);
      if (!verified.ok) return { ok: false, description: verified.description };
      const resolved = options.users.resolveBearerUser(verified.claims);
      if (!resolved.ok) return { ok: false, description: resolved.description };
      const { sub, azp } = verified.claims;
      return {
        ok: true,
        identity: {
          user: resolved.user,
          auth: "bearer",
          sub: typeof sub === "string" ? sub : null,
          azp: typeof azp === "string" ? azp : null,
        },
      };
    }
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], "base64").toString("utf8");
      const sep = decoded.indexOf(":");
      const admin = options.admin;
      const adminUser = admin ? options.users.get(admin.user) : undefined;
      if (
        sep > 0 &&
        admin &&
        adminUser &&
        sameSecret(decoded.slice(0, sep), admin.user) &&
        sameSecret(decoded.slice(sep + 1), admin.password)
      ) {
        return { ok: true, identity: { user: adminUser, auth: "basic", sub: null, azp: null } };
      }
      if (sep > 0) {
        const device = options.appPasswords.authenticate(decoded.slice(0, sep), decoded.slice(sep + 1));
        if (device)
          return {
            ok: true,
            identity: { user: options.users.loginUser(device.uid), auth: "app-password", sub: null, azp: null, deviceId: device.id },
          };
      }
      return { ok: false, description: "invalid Basic credentials" };
    }
    return { ok: false, description: header ? "unsupported Authorization scheme" : "no Authorization header" };
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
