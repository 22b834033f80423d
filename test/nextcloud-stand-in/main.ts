import { startNextcloudStandIn } from "./start-stand-in";
import { STAND_IN_NOTICE } from "./stand-in-notice";

/**
 * CLI for the local stack: `npx tsx test/nextcloud-stand-in/main.ts`.
 * Env: STANDIN_PORT (8281), STANDIN_HOST (127.0.0.1), KEYCLOAK_ISSUER, NEXTCLOUD_AUDIENCE (nextcloud),
 * STANDIN_ADMIN_USER / STANDIN_ADMIN_PASSWORD (Basic auth, off unless both set), STANDIN_SEED_DIR,
 * STANDIN_LATENCY_MS (0), STANDIN_PUBLIC_URL (where Login Flow v2 links point; default where it listens),
 * STANDIN_OIDC_PROVIDER_APP (1: serve the OIDC app's discovery), STANDIN_IMPERSONATE_APP (0: not installed).
 */
async function main(): Promise<void> {
  const env = process.env;
  const standIn = await startNextcloudStandIn({
    port: Number(env.STANDIN_PORT ?? 8281),
    host: env.STANDIN_HOST ?? "127.0.0.1",
    issuer: env.KEYCLOAK_ISSUER ?? "http://localhost:8180/realms/nextcloud-mcp",
    audience: env.NEXTCLOUD_AUDIENCE ?? "nextcloud",
    adminUser: env.STANDIN_ADMIN_USER,
    adminPassword: env.STANDIN_ADMIN_PASSWORD,
    seedDir: env.STANDIN_SEED_DIR,
    latencyMs: Number(env.STANDIN_LATENCY_MS ?? 0),
    publicUrl: env.STANDIN_PUBLIC_URL,
    oidcProviderApp: env.STANDIN_OIDC_PROVIDER_APP !== "0",
    impersonateApp: env.STANDIN_IMPERSONATE_APP === "1",
  });
  console.log(`WARNING: ${STAND_IN_NOTICE}`);
  console.log(
    `Nextcloud stand-in listening on ${standIn.url} (control endpoints: ${standIn.url}/__stand-in/requests, /provisioned, /devices, /reset, /latency)`,
  );
  const stop = () => {
    standIn.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error("[nextcloud-stand-in] failed to start:", e);
  process.exit(1);
});
