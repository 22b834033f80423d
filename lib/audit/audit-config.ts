import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { z } from "zod";

/** One Ed25519 key that may verify checkpoints; `privateKey` only where this process may sign. */
export type TCheckpointKey = { kid: string; publicKey: KeyObject; publicRaw: Buffer; privateKey?: KeyObject };

// PKCS#8 wrapper of a raw 32-byte Ed25519 seed, and SPKI wrapper of a raw public key (RFC 8410).
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

const KID = /^[A-Za-z0-9_-]{1,32}$/;

function keyList(what: string, toKey: (kid: string, raw: Buffer) => TCheckpointKey) {
  return z.string().transform((raw, ctx) => {
    const keys: TCheckpointKey[] = [];
    for (const part of raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [kid, b64, ...rest] = part.split(":");
      const bytes = b64 && rest.length === 0 ? Buffer.from(b64, "base64") : Buffer.alloc(0);
      if (!kid || !KID.test(kid)) {
        ctx.addIssue({ code: "custom", message: `has a key without a valid id (use kid:base64 of the ${what})` });
        return z.NEVER;
      }
      if (bytes.length !== 32 || new Set(bytes).size < 8) {
        ctx.addIssue({ code: "custom", message: `key "${kid}" is not a 32-byte ${what} in base64 (generate: openssl rand -base64 32)` });
        return z.NEVER;
      }
      keys.push(toKey(kid, bytes));
    }
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) {
      ctx.addIssue({ code: "custom", message: "names the same key id twice" });
      return z.NEVER;
    }
    return keys;
  });
}

const fromSeed = (kid: string, seed: Buffer): TCheckpointKey => {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey);
  return { kid, privateKey, publicKey, publicRaw: publicKey.export({ format: "der", type: "spki" }).subarray(-32) };
};
const fromPublic = (kid: string, raw: Buffer): TCheckpointKey => ({
  kid,
  publicRaw: raw,
  publicKey: createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: "der", type: "spki" }),
});

/**
 * The audit-checkpoint settings, as zod fields shared by the app's env schema and the scripts (which
 * parse only these and DATABASE_URL, so `verify-audit` needs no unrelated secrets).
 */
export const ZAuditConfigFields = {
  /** kid:base64(32-byte Ed25519 seed) list, newest last: the newest signs, all verify. Never in the database. */
  AUDIT_CHECKPOINT_KEYS: keyList("Ed25519 seed", fromSeed).optional(),
  /** kid:base64(32-byte Ed25519 public key) list: verify-only keys (retired keys, or a verifier-only host). */
  AUDIT_CHECKPOINT_PUBLIC_KEYS: keyList("Ed25519 public key", fromPublic).optional(),
  /** Directory of the file checkpoint store (one JSON file per checkpoint, never overwritten). */
  AUDIT_CHECKPOINT_DIR: z.string().min(1).default(".audit-checkpoints"),
  /** The worker signs a checkpoint this often when rows were added. */
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  /** Rows older than this that no checkpoint covers yet make the admin page's checkpoint banner red. */
  AUDIT_CHECKPOINT_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(7 * 86_400)
    .default(300),
};

const ZAuditConfigSchema = z.object(ZAuditConfigFields);

export type TAuditConfig = {
  /** The key that signs new checkpoints (newest of AUDIT_CHECKPOINT_KEYS), if any. */
  signingKey: TCheckpointKey | null;
  /** Every key a checkpoint may be signed with. */
  verifyKeys: TCheckpointKey[];
  dir: string;
  intervalSeconds: number;
  maxAgeSeconds: number;
};

let cached: { raw: string; config: TAuditConfig } | undefined;

/**
 * Parses only the audit-checkpoint variables (throws an Error naming the variable when one is unusable).
 * Cached per distinct set of values, so keys are derived once per process.
 */
export function auditConfig(source: Record<string, string | undefined> = process.env): TAuditConfig {
  const picked = Object.fromEntries(Object.keys(ZAuditConfigFields).map((k) => [k, source[k] === "" ? undefined : source[k]]));
  const raw = JSON.stringify(picked);
  if (cached?.raw === raw) return cached.config;
  const parsed = ZAuditConfigSchema.safeParse(picked);
  if (!parsed.success) {
    throw new Error(`Configuration is incomplete:\n${parsed.error.issues.map((i) => `  - ${i.path.join(".")} ${i.message}`).join("\n")}`);
  }
  const signing = parsed.data.AUDIT_CHECKPOINT_KEYS ?? [];
  const config: TAuditConfig = {
    signingKey: signing[signing.length - 1] ?? null,
    verifyKeys: [...signing, ...(parsed.data.AUDIT_CHECKPOINT_PUBLIC_KEYS ?? []).filter((p) => !signing.some((s) => s.kid === p.kid))],
    dir: parsed.data.AUDIT_CHECKPOINT_DIR,
    intervalSeconds: parsed.data.AUDIT_CHECKPOINT_INTERVAL_SECONDS,
    maxAgeSeconds: parsed.data.AUDIT_CHECKPOINT_MAX_AGE_SECONDS,
  };
  cached = { raw, config };
  return config;
}
