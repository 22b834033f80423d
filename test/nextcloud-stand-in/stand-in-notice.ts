/** Shown in every place a person could mistake this server for the real product. */
export const STAND_IN_NOTICE =
  "Nextcloud stand-in — not a real Nextcloud (test/dev only: user_oidc bearer validation + provisioning emulation)";
