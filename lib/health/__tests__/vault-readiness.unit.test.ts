import { describe, expect, it } from "vitest";
import { runHealthCheck } from "../run-health-check";
import { checkVaultKeys } from "../check-vault-keys";

describe("vault readiness", () => {
  it("fails, naming the variable but not its value, while the vault keys are unusable, and passes once they are fixed", async () => {
    const good = process.env.TOKEN_VAULT_KEYS!;
    const bad = "k1:c2hvcnQta2V5LW5vdC0zMi1ieXRlcw==";
    process.env.TOKEN_VAULT_KEYS = bad;
    try {
      // env() caches only a configuration that parses, so the broken one is read again on every check.
      const broken = await runHealthCheck("vault", 2000, checkVaultKeys);
      expect(broken.ok).toBe(false);
      expect(broken.detail).toContain("TOKEN_VAULT_KEYS");
      expect(broken.detail).not.toContain("c2hvcnQta2V5");
    } finally {
      process.env.TOKEN_VAULT_KEYS = good;
    }
    const fixed = await runHealthCheck("vault", 2000, checkVaultKeys);
    expect(fixed).toMatchObject({ ok: true, detail: "2 keys loaded; sealing with the newest works" });
  });
});
