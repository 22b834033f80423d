/**
 * The additional authenticated data each sealed column is bound to. One place, so every writer and
 * reader (and the key-rotation command) agrees on the exact strings; a value copied into another row or
 * column will not open.
 */
export const vaultAad = {
  grantRefresh: (grantId: string) => `grant:${grantId}:refresh`,
  grantAccess: (grantId: string) => `grant:${grantId}:access`,
  /** An app-password grant keeps its Nextcloud app password in the refresh-token column, under this AAD. */
  grantAppPassword: (grantId: string) => `grant:${grantId}:app-password`,
  revocationToken: (revocationId: string) => `revocation:${revocationId}:token`,
  loginId: (loginSessionId: string) => `login:${loginSessionId}:id`,
  loginAccess: (loginSessionId: string) => `login:${loginSessionId}:access`,
  loginRefresh: (loginSessionId: string) => `login:${loginSessionId}:refresh`,
} as const;
