import { afterEach, describe, expect, it } from "vitest";
import { createDecipheriv } from "node:crypto";
import { currentKeyId, openSecret, sealSecret } from "../token-vault";
import { vaultAad } from "../aad";
import { resetEnvForTests } from "@/lib/env";

/** The vault's sealing alone, under the test keys t1 (older) and t2 (newest) of test/test-env.ts. */
const T2 = Buffer.from(process.env.TOKEN_VAULT_KEYS!.split(",")[1]!.split(":")[1]!, "base64");
const SECRET = "offline-refresh-token-ünïcødé-0123456789";

describe("sealSecret / openSecret", () => {
  it("seals with the newest key, as AES-256-GCM over kid|aad, and opens what it sealed", () => {
    expect(currentKeyId()).toBe("t2");
    const s = sealSecret(SECRET, "grant:g1:refresh");
    expect(s.keyId).toBe("t2");
    expect(s.sealed).not.toContain(SECRET);
    const [iv, body, tag] = s.sealed.split(".").map((p) => Buffer.from(p, "base64url"));
    expect(iv).toHaveLength(12);
    expect(tag).toHaveLength(16);
    // Decrypts independently with the standard primitive: the format is what the doc says, not a private one.
    const d = createDecipheriv("aes-256-gcm", T2, iv!);
    d.setAAD(Buffer.from("t2|grant:g1:refresh"));
    d.setAuthTag(tag!);
    expect(Buffer.concat([d.update(body!), d.final()]).toString("utf8")).toBe(SECRET);
    expect(openSecret(s, "grant:g1:refresh")).toBe(SECRET);
  });

  it("uses a fresh IV each time", () => {
    const a = sealSecret(SECRET, "x");
    const b = sealSecret(SECRET, "x");
    expect(a.sealed.split(".")[0]).not.toBe(b.sealed.split(".")[0]);
    expect(a.sealed).not.toBe(b.sealed);
  });

  it("refuses a value copied into another row or column (AAD), without revealing it", () => {
    const s = sealSecret(SECRET, vaultAad.grantRefresh("g1"));
    for (const aad of [vaultAad.grantRefresh("g2"), vaultAad.grantAccess("g1"), ""]) {
      let error: unknown;
      try {
        openSecret(s, aad);
      } catch (e) {
        error = e;
      }
      expect(error, aad).toBeInstanceOf(Error);
      expect(String((error as Error).message)).not.toContain(SECRET);
    }
  });

  it("refuses a tampered ciphertext, tag or IV", () => {
    const s = sealSecret(SECRET, "a");
    const parts = s.sealed.split(".");
    for (let i = 0; i < 3; i += 1) {
      const bytes = Buffer.from(parts[i]!, "base64url");
      bytes[0] = bytes[0]! ^ 1;
      const forged = parts.map((p, j) => (j === i ? bytes.toString("base64url") : p)).join(".");
      expect(() => openSecret({ keyId: s.keyId, sealed: forged }, "a")).toThrow();
    }
  });

  it("refuses a value under a key id it does not know, or claimed under another configured key", () => {
    const s = sealSecret(SECRET, "a");
    expect(() => openSecret({ keyId: "gone", sealed: s.sealed }, "a")).toThrow(
      'Token vault: key "gone" is no longer configured in TOKEN_VAULT_KEYS',
    );
    expect(() => openSecret({ keyId: "t1", sealed: s.sealed }, "a")).toThrow();
  });

  it("refuses a malformed value with a clear message", () => {
    for (const sealed of ["", "onlyone", "two.parts"]) {
      expect(() => openSecret({ keyId: "t2", sealed }, "a"), sealed).toThrow("Token vault: sealed value is malformed");
    }
  });
});

describe("with three keys configured", () => {
  const saved = process.env.TOKEN_VAULT_KEYS;
  afterEach(() => {
    process.env.TOKEN_VAULT_KEYS = saved;
    resetEnvForTests();
  });

  it("seals with the last key, not the second, and still opens values sealed by the older ones", () => {
    const older = sealSecret(SECRET, "a");
    const t3 = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)).toString("base64");
    process.env.TOKEN_VAULT_KEYS = `${saved},t3:${t3}`;
    resetEnvForTests();
    expect(currentKeyId()).toBe("t3");
    const s = sealSecret(SECRET, "a");
    expect(s.keyId).toBe("t3");
    expect(openSecret(s, "a")).toBe(SECRET);
    expect(openSecret(older, "a")).toBe(SECRET);
  });
});

describe("vaultAad", () => {
  it("names one distinct string per row and column", () => {
    expect([
      vaultAad.grantRefresh("i"),
      vaultAad.grantAccess("i"),
      vaultAad.revocationToken("i"),
      vaultAad.loginId("i"),
      vaultAad.loginAccess("i"),
      vaultAad.loginRefresh("i"),
    ]).toEqual(["grant:i:refresh", "grant:i:access", "revocation:i:token", "login:i:id", "login:i:access", "login:i:refresh"]);
  });
});
