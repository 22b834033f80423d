import "server-only";
import { env } from "../env";
import { openSecret, sealSecret } from "../vault/token-vault";

/**
 * The token vault's keys are configured and usable: a throwaway value sealed with the newest key opens
 * again. Reports how many keys are loaded, never a key or its material.
 */
export async function checkVaultKeys(): Promise<string> {
  const probe = `vault-probe-${Date.now()}`;
  const sealed = sealSecret(probe, "health:vault-probe");
  if (openSecret(sealed, "health:vault-probe") !== probe) throw new Error("the newest vault key does not round-trip");
  const count = env().TOKEN_VAULT_KEYS.length;
  return `${count} key${count === 1 ? "" : "s"} loaded; sealing with the newest works`;
}
