import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "../env";

/** A sealed secret as stored in a row: which key sealed it, and `iv.ciphertext.tag` in base64url. */
export type TSealed = { keyId: string; sealed: string };

type TKey = { kid: string; key: Buffer };

function keys(): TKey[] {
  return env().TOKEN_VAULT_KEYS;
}

/** The key new writes use: the last one configured. */
export function currentKeyId(): string {
  return keys().at(-1)!.kid;
}

/**
 * Encrypts a token with AES-256-GCM under the newest key. `aad` binds the ciphertext to its row and
 * column (e.g. "grant:<id>:refresh"), so a sealed value copied into another row will not open.
 */
export function sealSecret(plain: string, aad: string): TSealed {
  const { kid, key } = keys().at(-1)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(`${kid}|${aad}`));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString("base64url"));
  return { keyId: kid, sealed: parts.join(".") };
}

/** Decrypts a value sealed by any configured key; fails loudly (without the value) on tampering. */
export function openSecret({ keyId, sealed }: TSealed, aad: string): string {
  const entry = keys().find((k) => k.kid === keyId);
  if (!entry) throw new Error(`Token vault: key "${keyId}" is no longer configured in TOKEN_VAULT_KEYS`);
  const [iv, body, tag] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
  if (!iv || !body || !tag) throw new Error("Token vault: sealed value is malformed");
  const decipher = createDecipheriv("aes-256-gcm", entry.key, iv);
  decipher.setAAD(Buffer.from(`${keyId}|${aad}`));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}

/**
 * The same secret sealed again under the newest key (key rotation). An empty value — a column wiped when
 * its row reached a final state — has nothing to re-seal and stays empty.
 */
export function resealSecret({ keyId, sealed }: TSealed, aad: string): string {
  return sealed ? sealSecret(openSecret({ keyId, sealed }, aad), aad).sealed : sealed;
}
