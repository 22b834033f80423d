/** A Nextcloud account as the stand-in knows it. */
export interface TStandInUser {
  uid: string;
  displayName: string;
  email: string | null;
  backend: "user_oidc" | "Database";
  createdAt: string;
}

/** A user created by bearer provisioning: who the token said it was, and which client presented it. */
export interface TProvisionedUser {
  uid: string;
  sub: string;
  preferredUsername: string | null;
  azp: string | null;
  provisionedAt: string;
}

export type TBearerUserResult = { ok: true; user: TStandInUser; provisionedNow: boolean } | { ok: false; description: string };

/**
 * The stand-in's user table. Reproduces user_oidc with bearer provisioning ON: the Nextcloud user id is the
 * token's `preferred_username` (else `sub`), and a user id never seen before is created on the spot —
 * whatever the subject is, `service-account-*` included. That is the real app's behaviour and the danger the
 * product guards against, so nothing here filters it out; every provisioning is recorded instead.
 */
export class UserDirectory {
  private users = new Map<string, TStandInUser>();
  private provisionedUsers: TProvisionedUser[] = [];

  constructor(private readonly builtInUsers: TStandInUser[]) {
    this.reset();
  }

  /** Maps verified token claims to a user, provisioning it on first sight. */
  resolveBearerUser(claims: Record<string, unknown>): TBearerUserResult {
    const sub = nonEmptyString(claims.sub);
    const preferredUsername = nonEmptyString(claims.preferred_username);
    const uid = preferredUsername ?? sub;
    if (!uid || !sub) return { ok: false, description: "token has no sub/preferred_username to map to a user" };

    const existing = this.users.get(uid);
    if (existing) return { ok: true, user: existing, provisionedNow: false };

    const now = new Date().toISOString();
    const user: TStandInUser = {
      uid,
      displayName: nonEmptyString(claims.name) ?? uid,
      email: nonEmptyString(claims.email),
      backend: "user_oidc",
      createdAt: now,
    };
    this.users.set(uid, user);
    this.provisionedUsers.push({ uid, sub, preferredUsername, azp: nonEmptyString(claims.azp), provisionedAt: now });
    return { ok: true, user, provisionedNow: true };
  }

  /**
   * The account a person signs in to on Nextcloud's login page (the Login Flow v2 approve page). Through
   * user_oidc that account is the one bearer provisioning would create for them; it is created here on
   * first sign-in, without counting as bearer provisioning.
   */
  loginUser(uid: string): TStandInUser {
    const existing = this.users.get(uid);
    if (existing) return existing;
    const user: TStandInUser = { uid, displayName: uid, email: null, backend: "user_oidc", createdAt: new Date().toISOString() };
    this.users.set(uid, user);
    return user;
  }

  get(uid: string): TStandInUser | undefined {
    return this.users.get(uid);
  }

  /** Every user created by bearer provisioning since the last reset, oldest first (copies). */
  provisioned(): TProvisionedUser[] {
    return this.provisionedUsers.map((p) => ({ ...p }));
  }

  /** Forgets provisioned users; built-in users (the Basic-auth admin) stay. */
  reset(): void {
    this.users = new Map(this.builtInUsers.map((u) => [u.uid, { ...u }]));
    this.provisionedUsers = [];
  }
}

function nonEmptyString(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}
