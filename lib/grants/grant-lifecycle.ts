/**
 * The grant state machine, written down once. Every write to a Grant row goes through lib/grants, and
 * each status change there is checked against this table.
 *
 *   (consent) ──► active ──► revoking ──► revoked            the user/admin revoked it here; Keycloak confirms
 *                   │ ▲
 *                   │ └── active: a refresh rotated the token; add/narrow access replaced token and scopes
 *                   └──► revoked_at_provider                  Keycloak refused it (removed in the account
 *                                                            console, by an admin, user disabled, expired)
 *
 * Signing out of the dashboard, Keycloak SSO logout and login-session expiry are NOT transitions: offline
 * access exists so that work goes on while the person is away. A back-channel logout only asks for a
 * re-check (a live refresh), whose answer decides.
 * Final states keep no token material: the transition into them wipes the sealed tokens.
 */
export type TGrantStatus = "active" | "revoking" | "revoked" | "revoked_at_provider";

const TRANSITIONS: Record<TGrantStatus, readonly TGrantStatus[]> = {
  active: ["active", "revoking", "revoked_at_provider"],
  revoking: ["revoked"],
  revoked: [],
  revoked_at_provider: [],
};

/** True when no transition leaves the status (its tokens are wiped). */
export function isFinalGrantStatus(status: TGrantStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Throws when `from → to` is not in the table; the callers are the transition functions of lib/grants. */
export function assertGrantTransition(from: string, to: TGrantStatus): void {
  const allowed = TRANSITIONS[from as TGrantStatus];
  if (!allowed || !allowed.includes(to)) throw new Error(`Grant transition ${from} → ${to} is not allowed`);
}

/** The sealed-token columns cleared when a grant stops using them. */
export const WIPED_GRANT_SECRETS = { refreshTokenEnc: "", accessTokenEnc: null, accessExpiresAt: null } as const;
