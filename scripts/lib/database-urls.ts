/** Role names used when a URL does not name one (local defaults; production names its own in the URLs). */
export const DEFAULT_APP_ROLE = "ncdd_app";
export const DEFAULT_OWNER_ROLE = "ncdd_owner";
export const DEFAULT_ADMIN_ROLE = "postgres";
export const DEFAULT_DATABASE_URL = `postgresql://${DEFAULT_APP_ROLE}@127.0.0.1:5432/delegation_dashboard`;

export type TDatabaseUrls = {
  /** What the app and the worker connect with (DATABASE_URL): owns nothing. */
  app: string;
  /** What migrations run as (DATABASE_OWNER_URL): owns every table, schema and function. */
  owner: string;
  /** A superuser, used only by the local set-up scripts to create the database and both roles. */
  admin: string;
  database: string;
  appRole: string;
  ownerRole: string;
};

function withUser(url: string, user: string, from?: string): string {
  const u = new URL(url);
  if (from) {
    const f = new URL(from);
    u.username = f.username;
    u.password = f.password;
  } else {
    u.username = user;
    u.password = "";
  }
  return u.toString();
}

const sameServer = (a: string, b: string) => new URL(a).host === new URL(b).host;

/**
 * The three connections of one database, from DATABASE_URL (or `appUrl`), DATABASE_OWNER_URL and
 * DATABASE_ADMIN_URL. An owner or admin URL is used for its credentials only when it names the same
 * server; otherwise the role defaults (ncdd_owner, postgres) are put into the app URL, so one setting
 * serves a test database, the e2e database and the embedded fallback alike.
 */
export function resolveDatabaseUrls(appUrl?: string, source: Record<string, string | undefined> = process.env): TDatabaseUrls {
  const app = appUrl ?? source.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const ownerSrc = source.DATABASE_OWNER_URL;
  const adminSrc = source.DATABASE_ADMIN_URL;
  const owner = ownerSrc && sameServer(ownerSrc, app) ? withUser(app, "", ownerSrc) : withUser(app, DEFAULT_OWNER_ROLE);
  const admin = adminSrc && sameServer(adminSrc, app) ? withUser(app, "", adminSrc) : withUser(app, DEFAULT_ADMIN_ROLE);
  const name = (u: string) => decodeURIComponent(new URL(u).username);
  return {
    app,
    owner,
    admin,
    database: decodeURIComponent(new URL(app).pathname.slice(1)),
    appRole: name(app),
    ownerRole: name(owner),
  };
}
