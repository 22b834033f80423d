import { z } from "zod";
import { ZAuditConfigFields } from "./audit/audit-config";

/** Raised when configuration is missing or unusable; its message names every variable to set. */
export class ConfigError extends Error {
  readonly code = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Configuration is incomplete:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const ZVaultKeysSchema = z
  .string({ error: "is not set: give one or more keys as kid:base64(32 bytes), newest last" })
  .transform((raw, ctx) => {
    const keys: { kid: string; key: Buffer }[] = [];
    for (const part of raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [kid, b64] = part.split(":");
      const key = b64 ? Buffer.from(b64, "base64") : Buffer.alloc(0);
      if (!kid || !/^[A-Za-z0-9_-]{1,32}$/.test(kid)) {
        ctx.addIssue({ code: "custom", message: "has a key without a valid id (use kid:base64key)" });
        return z.NEVER;
      }
      if (key.length !== 32) {
        ctx.addIssue({ code: "custom", message: `key "${kid}" is not 32 random bytes in base64 (AES-256 needs exactly 32)` });
        return z.NEVER;
      }
      if (new Set(key).size < 8) {
        ctx.addIssue({
          code: "custom",
          message: `key "${kid}" is too weak (too few distinct bytes); generate it with: openssl rand -base64 32`,
        });
        return z.NEVER;
      }
      keys.push({ kid, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: "custom", message: "is empty: give one or more keys as kid:base64(32 bytes)" });
      return z.NEVER;
    }
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) {
      ctx.addIssue({ code: "custom", message: "names the same key id twice" });
      return z.NEVER;
    }
    return keys;
  });

const secret = (what: string) => z.string({ error: `is not set: ${what}` }).min(8, { error: `is too short to be ${what}` });

const ZEnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "is not set: a PostgreSQL URL such as postgresql://user@127.0.0.1:5432/delegation_dashboard" })
    .regex(/^postgres(ql)?:\/\//, { error: "must be a postgresql:// URL" }),
  NEXTAUTH_URL: z.url({ error: "must be the dashboard's public URL" }).default("http://localhost:3000"),
  NEXTAUTH_SECRET: z
    .string({ error: "is not set: 32+ random characters (openssl rand -base64 32) that sign sessions" })
    .min(32, { error: "is too short: use 32+ random characters (openssl rand -base64 32)" }),
  KEYCLOAK_ISSUER: z
    .url({ error: "must be the realm URL, e.g. http://localhost:8180/realms/nextcloud-mcp" })
    .default("http://localhost:8180/realms/nextcloud-mcp"),
  KEYCLOAK_DASHBOARD_CLIENT_ID: z.string().min(1).default("delegation-dashboard"),
  KEYCLOAK_DASHBOARD_CLIENT_SECRET: secret("the dashboard client's secret from Keycloak"),
  KEYCLOAK_WORKER_CLIENT_ID: z.string().min(1).default("nextcloud-mcp-server"),
  KEYCLOAK_WORKER_CLIENT_SECRET: secret("the worker client's secret from Keycloak"),
  KEYCLOAK_ADMIN_ROLE: z.string().min(1).default("dashboard-admin"),
  NEXTCLOUD_URL: z.url({ error: "must be Nextcloud's base URL" }).default("http://localhost:8280"),
  NEXTCLOUD_AUDIENCE: z.string().min(1).default("nextcloud"),
  /** Where browsers reach Nextcloud, when not at NEXTCLOUD_URL (containers): Login Flow v2 links are sent there. */
  NEXTCLOUD_PUBLIC_URL: z.url({ error: "must be the Nextcloud address people's browsers use" }).optional(),
  NEXTCLOUD_ADMIN_USER: z.string().optional(),
  NEXTCLOUD_ADMIN_PASSWORD: z.string().optional(),
  TOKEN_VAULT_KEYS: ZVaultKeysSchema,
  /** Worker: exchange each refreshed token for one whose only audience is Nextcloud (RFC 8693). */
  WORKER_TOKEN_EXCHANGE: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** A run whose worker died is retried after this long (pg-boss job expiry). */
  WORKER_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(5).max(3600).default(900),
  /** Worker: a running run whose heartbeat is older than this goes back to the queue (its worker died). */
  WORKER_LEASE_SECONDS: z.coerce.number().int().min(3).max(600).default(15),
  /** Worker: a grant whose last refresh is older than this is re-checked at Keycloak (a live refresh). */
  GRANT_HEALTH_SECONDS: z.coerce.number().int().min(10).max(86_400).default(60),
  /** Worker: address of its small HTTP server (/health/live, /health/ready, /metrics); loopback by default. */
  WORKER_HTTP_HOST: z.string().min(1).default("127.0.0.1"),
  /** Worker: port of that server; 0 picks a free port (tests). */
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  /** Worker: how often it renews its WorkerHeartbeat row (the Workers page and readiness read it). */
  WORKER_HEARTBEAT_SECONDS: z.coerce.number().min(0.2).max(10).default(5),
  /** Bearer secret for /api/metrics and the worker's /metrics; see README "Operations". */
  METRICS_TOKEN: z.string().min(16, { error: "is too short: use 16+ random characters (openssl rand -hex 24)" }).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // How old the cached tier status may get before an admin's view starts a new probe run.
  TIER_PROBE_INTERVAL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
  // Audit checkpoints (signing keys outside the database, store, cadence): see lib/audit/audit-config.ts.
  ...ZAuditConfigFields,
});

export type TEnv = z.infer<typeof ZEnvSchema>;

/** Parses configuration from a plain record; every problem is reported at once, values never echoed. */
export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = ZEnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`));
  }
  return result.data;
}

let cached: TEnv | undefined;

/** The validated process environment, parsed once on first use so builds need no secrets. */
/** Forgets the parsed configuration so the next env() re-reads process.env (tests only). */
export function resetEnvForTests(): void {
  cached = undefined;
}

export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The issuer is plain http only on a developer's own machine; openid-client must be told so explicitly. */
export function isLocalHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
}
