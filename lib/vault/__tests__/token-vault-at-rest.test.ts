import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { parseEnv, ConfigError } from "@/lib/env";
import { testEnv } from "@/test/test-env";
import { createPerson, deletePerson, type TPerson } from "@/test/keycloak/person-fixture";

const KEYS = process.env.TOKEN_VAULT_KEYS!; // "t1:…,t2:…" from test/test-env.ts
const T1_ONLY = KEYS.split(",")[0]!;
const T2_ONLY = KEYS.split(",")[1]!;

/** Re-imports lib modules under a different TOKEN_VAULT_KEYS (env() is parsed once per module graph). */
async function withKeys<T>(keys: string, fn: () => Promise<T>): Promise<T> {
  process.env.TOKEN_VAULT_KEYS = keys;
  vi.resetModules();
  try {
    return await fn();
  } finally {
    process.env.TOKEN_VAULT_KEYS = KEYS;
    vi.resetModules();
  }
}

const sql = new pg.Client({ connectionString: process.env.DATABASE_URL });
let grantId: string;
let offlineAtStart: string;
let accessAtStart: string;
let loginId: string;
let revocationId: string;
// A person of this file's own: another file's grant for a shared user would be sealed with keys this
// file takes away.
let person: TPerson;

beforeAll(async () => {
  await sql.connect();
  person = await createPerson("vault");
  // Everything below is written while only the OLD key (t1) is configured.
  await withKeys(T1_ONLY, async () => {
    const { createGrantOverHttp } = await import("@/test/keycloak/grant-fixture");
    const { sealSecret } = await import("@/lib/vault/token-vault");
    const { vaultAad } = await import("@/lib/vault/aad");
    const { db } = await import("@/lib/db");
    const created = await createGrantOverHttp(person, ["notes.read"]);
    grantId = created.grantId;
    offlineAtStart = created.redeemed.offlineToken;
    accessAtStart = created.redeemed.accessToken;
    loginId = `login-${grantId}`;
    revocationId = `revocation-${grantId}`;
    const idTok = sealSecret("id-token-plain", vaultAad.loginId(loginId));
    await db().loginSession.create({
      data: {
        id: loginId,
        userSub: created.redeemed.sub,
        keyId: idTok.keyId,
        idTokenEnc: idTok.sealed,
        accessTokenEnc: sealSecret("access-token-plain", vaultAad.loginAccess(loginId)).sealed,
        refreshTokenEnc: sealSecret("refresh-token-plain", vaultAad.loginRefresh(loginId)).sealed,
        accessExpiresAt: new Date(Date.now() + 60_000),
      },
    });
    const rev = sealSecret("revocation-token-plain", vaultAad.revocationToken(revocationId));
    await db().revocation.create({
      data: {
        id: revocationId,
        grantId,
        userSub: created.redeemed.sub,
        requestedBy: created.redeemed.sub,
        keyId: rev.keyId,
        tokenEnc: rev.sealed,
      },
    });
  });
});

afterAll(async () => {
  const { currentOfflineToken, createMemoryRecorder } = await import("@/test/keycloak/grant-fixture");
  const { revokeToken } = await import("@/lib/oauth/revoke-token");
  await revokeToken(await currentOfflineToken(grantId), "refresh_token", {
    recorder: createMemoryRecorder(),
    correlationId: "cleanup",
  }).catch(() => undefined);
  await sql.end();
  await deletePerson(person);
});

describe("token vault at rest", () => {
  it("raw rows read with SQL contain no token", async () => {
    const rows = await sql.query(
      `SELECT t::text AS row FROM "Grant" t UNION ALL SELECT t::text FROM "LoginSession" t UNION ALL SELECT t::text FROM "Revocation" t`,
    );
    const dump = rows.rows.map((r: { row: string }) => r.row).join("\n");
    expect(dump).toContain(grantId);
    expect(dump).not.toContain(offlineAtStart);
    expect(dump).not.toContain(accessAtStart);
    expect(dump).not.toContain(offlineAtStart.split(".")[1]!); // not even the payload part
    // A JWT is "eyJ<header>.eyJ<payload>": never present. Bare "eyJ" can occur by chance inside random
    // base64url ciphertext (about once per 260k characters), so outside the sealed columns it must not occur at all.
    expect(dump).not.toMatch(/eyJ[A-Za-z0-9_-]*\.eyJ/);
    const unsealed = await sql.query(
      `SELECT (to_jsonb(t) - 'refreshTokenEnc' - 'accessTokenEnc')::text AS row FROM "Grant" t
       UNION ALL SELECT (to_jsonb(t) - 'idTokenEnc' - 'accessTokenEnc' - 'refreshTokenEnc')::text FROM "LoginSession" t
       UNION ALL SELECT (to_jsonb(t) - 'tokenEnc')::text FROM "Revocation" t`,
    );
    expect(unsealed.rows.map((r: { row: string }) => r.row).join("\n")).not.toContain("eyJ");
    expect(dump).not.toContain("token-plain");
    const g = await sql.query(`SELECT "keyId", "refreshTokenEnc" FROM "Grant" WHERE id = $1`, [grantId]);
    expect(g.rows[0].keyId).toBe("t1");
    expect(g.rows[0].refreshTokenEnc).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("old-key rows stay readable once a newer key is added (new writes use the newest)", async () => {
    const { getDelegatedToken } = await import("@/lib/grants/get-delegated-token");
    const { createMemoryRecorder } = await import("@/test/keycloak/grant-fixture");
    const { sealSecret, currentKeyId } = await import("@/lib/vault/token-vault");
    const cached = await getDelegatedToken({ grantId, recorder: createMemoryRecorder(), correlationId: "vault" });
    expect(cached).toMatchObject({ source: "cache", token: accessAtStart });
    expect(currentKeyId()).toBe("t2");
    expect(sealSecret("x", "a").keyId).toBe("t2");
  });

  it("a sealed value does not open under another row's AAD", async () => {
    const { openSecret } = await import("@/lib/vault/token-vault");
    const { vaultAad } = await import("@/lib/vault/aad");
    const g = (await sql.query(`SELECT "keyId", "refreshTokenEnc" FROM "Grant" WHERE id = $1`, [grantId])).rows[0];
    expect(openSecret({ keyId: g.keyId, sealed: g.refreshTokenEnc }, vaultAad.grantRefresh(grantId))).toBe(offlineAtStart);
    expect(() => openSecret({ keyId: g.keyId, sealed: g.refreshTokenEnc }, vaultAad.grantAccess(grantId))).toThrow();
    expect(() => openSecret({ keyId: g.keyId, sealed: g.refreshTokenEnc }, vaultAad.grantRefresh("another-grant"))).toThrow();
  });

  it("without the old key, the error names the missing key id and no secret", async () => {
    await withKeys(T2_ONLY, async () => {
      const { getDelegatedToken } = await import("@/lib/grants/get-delegated-token");
      const { createMemoryRecorder } = await import("@/test/keycloak/grant-fixture");
      await expect(getDelegatedToken({ grantId, recorder: createMemoryRecorder(), correlationId: "vault" })).rejects.toThrow(
        'Token vault: key "t1" is no longer configured in TOKEN_VAULT_KEYS',
      );
    });
  });

  it("`npx tsx scripts/rotate-vault-keys.ts` re-encrypts every sealed column to the newest key", async () => {
    const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/rotate-vault-keys.ts"], { env: process.env, timeout: 60_000 });
    expect(stdout).toMatch(/re-encrypted to key "t2": [1-9]\d* grants, [1-9]\d* revocations, [1-9]\d* login sessions/);
    expect(stdout).toContain("rows still on older keys: 0");
    for (const table of ["Grant", "LoginSession", "Revocation"]) {
      const r = await sql.query(`SELECT count(*)::int AS n FROM "${table}" WHERE "keyId" <> 't2'`);
      expect(r.rows[0].n, table).toBe(0);
    }
    // Readable with the newest key alone: the old key can now be dropped.
    await withKeys(T2_ONLY, async () => {
      const { openSecret } = await import("@/lib/vault/token-vault");
      const { vaultAad } = await import("@/lib/vault/aad");
      const { getDelegatedToken } = await import("@/lib/grants/get-delegated-token");
      const { createMemoryRecorder } = await import("@/test/keycloak/grant-fixture");
      const l = (await sql.query(`SELECT * FROM "LoginSession" WHERE id = $1`, [loginId])).rows[0];
      expect(openSecret({ keyId: l.keyId, sealed: l.idTokenEnc }, vaultAad.loginId(loginId))).toBe("id-token-plain");
      expect(openSecret({ keyId: l.keyId, sealed: l.accessTokenEnc }, vaultAad.loginAccess(loginId))).toBe("access-token-plain");
      expect(openSecret({ keyId: l.keyId, sealed: l.refreshTokenEnc }, vaultAad.loginRefresh(loginId))).toBe("refresh-token-plain");
      const r = (await sql.query(`SELECT * FROM "Revocation" WHERE id = $1`, [revocationId])).rows[0];
      expect(openSecret({ keyId: r.keyId, sealed: r.tokenEnc }, vaultAad.revocationToken(revocationId))).toBe("revocation-token-plain");
      const cached = await getDelegatedToken({ grantId, recorder: createMemoryRecorder(), correlationId: "vault" });
      expect(cached.token).toBe(accessAtStart);
      // And the rotated offline token still refreshes at Keycloak.
      const { db } = await import("@/lib/db");
      await db().grant.update({ where: { id: grantId }, data: { accessExpiresAt: new Date(0) } });
      const refreshed = await getDelegatedToken({ grantId, recorder: createMemoryRecorder(), correlationId: "vault" });
      expect(refreshed.source).toBe("refresh");
    });
  });

  it("a missing, malformed or weak key stops startup with a clear message", () => {
    const base = testEnv();
    const problem = (keys: string | undefined) => {
      try {
        parseEnv({ ...base, TOKEN_VAULT_KEYS: keys });
        return "accepted";
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
    };
    expect(problem(undefined)).toContain("TOKEN_VAULT_KEYS is not set: give one or more keys as kid:base64(32 bytes), newest last");
    expect(problem(`k1:${Buffer.alloc(32).toString("base64")}`)).toContain('TOKEN_VAULT_KEYS key "k1" is too weak');
    expect(problem(`k1:${Buffer.from("short").toString("base64")}`)).toContain('key "k1" is not 32 random bytes');
    expect(problem(`bad id!:${"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="}`)).toContain("has a key without a valid id");
    const secret = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    expect(problem(`a:${secret},a:${secret}`)).toContain("names the same key id twice");
    expect(problem(`a:${Buffer.alloc(32).toString("base64")}`)).not.toContain(Buffer.alloc(32).toString("base64"));
  });
});
