/**
 * A request's delegation mechanism (the audit row's `mechanism`) in words, for the activity feed: which
 * credential the worker presented to Nextcloud on the person's behalf.
 */
export function describeMechanism(mechanism: string | null): string {
  switch (mechanism) {
    case "app-password":
      return "app password";
    case "token-exchange":
      return "OAuth (exchanged token)";
    case "offline-refresh":
      return "OAuth (refreshed token)";
    case "user-token":
      return "OAuth (your token)";
    case "basic-auth":
      return "admin BasicAuth";
    default:
      return mechanism ?? "—";
  }
}
