import { e2eEnv } from "./e2e-env";

/** Refuses to run against anything but a local database, and checks Keycloak is up before any login. */
export default async function globalSetup() {
  const env = e2eEnv();
  const db = new URL(env.DATABASE_URL!);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(db.hostname)) {
    throw new Error(`Refusing to run browser tests against a non-local database (${db.hostname}).`);
  }
  const wellKnown = `${env.KEYCLOAK_ISSUER}/.well-known/openid-configuration`;
  const res = await fetch(wellKnown).catch(() => null);
  if (!res?.ok) throw new Error(`Keycloak is not reachable at ${wellKnown}: start it with scripts/keycloak.sh start`);
}
