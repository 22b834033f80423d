/** Local-only users from keycloak/realm-export.json (never used outside a developer machine or CI). */
export const USERS = {
  alice: { username: "alice", password: "alice-local-only", name: "Alice Liddell" },
  bob: { username: "bob", password: "bob-local-only", name: "Bob Builder" },
  admin: { username: "admin", password: "admin-local-only", name: "Ada Admin" },
} as const;

export type TUserKey = keyof typeof USERS;

export const storageStateOf = (user: TUserKey) => `e2e/.auth/${user}.json`;
