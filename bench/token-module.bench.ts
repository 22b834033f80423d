/**
 * `npx tsx bench/token-module.bench.ts` — prints, against the running Keycloak:
 *  1. the token module's overhead: N refreshes through refreshOfflineToken (openid-client, typed errors,
 *     audit call) against N bare HTTP POSTs of the same refresh_token grant to the same token endpoint,
 *     interleaved in one run. Refresh tokens are single-use here, so both walk ONE chain of tokens.
 *  2. the full delegated path (getDelegatedToken forced to refresh: row lock, vault open/seal, refresh,
 *     rotated token stored, audit) against a bare POST of the same refresh, interleaved, and the cached
 *     path's cost per call (lock-free read + vault open).
 *  3. tokens minted per 1,000 delegated calls (getDelegatedToken) with the sealed cache, and without it.
 * Prints figures; asserts nothing. Uses its own database (ncdd_bench) unless DATABASE_URL is set.
 */
import { prepareBench } from "./lib/bench-setup";

await prepareBench("postgresql://postgres@127.0.0.1:5432/ncdd_bench");

const { default: migrate } = await import("../test/global-setup");
const { env } = await import("../lib/env");
const { db } = await import("../lib/db");
const { getOidcConfig } = await import("../lib/oauth/get-oidc-config");
const { refreshOfflineToken } = await import("../lib/oauth/refresh-offline-token");
const { getDelegatedToken } = await import("../lib/grants/get-delegated-token");
const { revokeToken } = await import("../lib/oauth/revoke-token");
const { LOCAL_USERS, obtainOfflineConsentOverHttp } = await import("../test/keycloak/consent-over-http");
const { createGrantOverHttp, createMemoryRecorder, currentOfflineToken } = await import("../test/keycloak/grant-fixture");
const { ensureOfflineAccessScopeMapping } = await import("../test/keycloak/admin-api");

const N = Number(process.env.BENCH_REFRESHES ?? 100);
const CALLS = 1000;
const noopCtx = { recorder: async () => undefined, correlationId: "bench" };

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, p50: q(0.5), p95: q(0.95) };
};
const fmt = (x: number) => x.toFixed(2).padStart(7);

await migrate();
await ensureOfflineAccessScopeMapping();
const tokenEndpoint = (await getOidcConfig()).serverMetadata().token_endpoint!;
const basic =
  "Basic " +
  Buffer.from(`${encodeURIComponent(env().KEYCLOAK_WORKER_CLIENT_ID)}:${encodeURIComponent(env().KEYCLOAK_WORKER_CLIENT_SECRET)}`).toString(
    "base64",
  );

async function bareRefresh(token: string): Promise<string> {
  const res = await fetch(tokenEndpoint, {
    method: "POST",
    headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: token }),
  });
  const body = (await res.json()) as { refresh_token?: string; error?: string };
  if (!res.ok || !body.refresh_token) throw new Error(`bare refresh failed: ${res.status} ${body.error}`);
  return body.refresh_token;
}

// 1. Overhead against a bare POST, one chain of single-use tokens, interleaved.
let chain = (await obtainOfflineConsentOverHttp(LOCAL_USERS.alice, ["notes.read"])).offlineToken;
for (let i = 0; i < 5; i++) {
  // warm-up
  chain = (await refreshOfflineToken(chain, noopCtx)).refreshToken;
  chain = await bareRefresh(chain);
}
const moduleMs: number[] = [];
const bareMs: number[] = [];
for (let i = 0; i < N; i++) {
  let t0 = performance.now();
  chain = (await refreshOfflineToken(chain, noopCtx)).refreshToken;
  moduleMs.push(performance.now() - t0);
  t0 = performance.now();
  chain = await bareRefresh(chain);
  bareMs.push(performance.now() - t0);
}
await revokeToken(chain, "refresh_token", noopCtx);
const m = stats(moduleMs);
const b = stats(bareMs);
console.log(`\nToken-endpoint refresh, ${N} each way, interleaved on one token chain (ms)`);
console.log(`                         mean      p50      p95`);
console.log(`  bare fetch POST     ${fmt(b.mean)}  ${fmt(b.p50)}  ${fmt(b.p95)}`);
console.log(`  refreshOfflineToken ${fmt(m.mean)}  ${fmt(m.p50)}  ${fmt(m.p95)}`);
console.log(`  ratio module/bare   ${fmt(m.mean / b.mean)}  ${fmt(m.p50 / b.p50)}  ${fmt(m.p95 / b.p95)}`);
console.log(`  overhead per call   ${fmt(m.mean - b.mean)}  ${fmt(m.p50 - b.p50)}`);

// 2. The full delegated path against a bare refresh, interleaved; then the cached path per call.
// One grant per person and worker: the bench uses a person of its own.
const { createPerson, deletePerson } = await import("../test/keycloak/person-fixture");
const person = await createPerson("bench-token");
const { grantId } = await createGrantOverHttp(person, ["notes.read"]);
let bareChain = (await obtainOfflineConsentOverHttp(person, ["notes.read"])).offlineToken;
const fullMs: number[] = [];
const bare2Ms: number[] = [];
const forced = 366 * 24 * 3600;
for (let i = 0; i < N + 5; i++) {
  let t0 = performance.now();
  await getDelegatedToken({ grantId, recorder: noopCtx.recorder, correlationId: "bench-full", minValiditySeconds: forced });
  if (i >= 5) fullMs.push(performance.now() - t0);
  t0 = performance.now();
  bareChain = await bareRefresh(bareChain);
  if (i >= 5) bare2Ms.push(performance.now() - t0);
}
const f = stats(fullMs);
const b2 = stats(bare2Ms);
console.log(`\nFull delegated path (lock, vault, refresh, store, audit) vs bare refresh POST, ${N} each, interleaved (ms)`);
console.log(`                         mean      p50      p95`);
console.log(`  bare fetch POST     ${fmt(b2.mean)}  ${fmt(b2.p50)}  ${fmt(b2.p95)}`);
console.log(`  getDelegatedToken   ${fmt(f.mean)}  ${fmt(f.p50)}  ${fmt(f.p95)}`);
console.log(`  ratio full/bare     ${fmt(f.mean / b2.mean)}  ${fmt(f.p50 / b2.p50)}  ${fmt(f.p95 / b2.p95)}`);
await getDelegatedToken({ grantId, recorder: noopCtx.recorder, correlationId: "bench-warm" });
const cachedMs: number[] = [];
for (let i = 0; i < CALLS; i++) {
  const t0 = performance.now();
  await getDelegatedToken({ grantId, recorder: noopCtx.recorder, correlationId: "bench-cached" });
  cachedMs.push(performance.now() - t0);
}
const c = stats(cachedMs);
console.log(`\nCached path, ${CALLS} calls (ms per call): mean ${fmt(c.mean)}  p50 ${fmt(c.p50)}  p95 ${fmt(c.p95)}`);

// 3. Tokens minted per 1,000 delegated calls, with and without the cache.
for (const [label, minValiditySeconds] of [
  ["with cache (reuse until 30 s before expiry)", 30],
  ["without cache (refresh every call)", 1e9],
] as const) {
  const recorder = createMemoryRecorder();
  // Start cold: the consent's own access token does not count as a saving.
  await db().grant.update({ where: { id: grantId }, data: { accessExpiresAt: new Date(0) } });
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) await getDelegatedToken({ grantId, recorder, correlationId: `bench-${i}`, minValiditySeconds });
  const ms = performance.now() - t0;
  console.log(`\nDelegated calls ${label}`);
  console.log(
    `  ${CALLS} calls: ${recorder.count("token.refresh", "success")} tokens minted, ${(ms / CALLS).toFixed(2)} ms per call, ${(ms / 1000).toFixed(1)} s total`,
  );
}
await revokeToken(await currentOfflineToken(grantId), "refresh_token", noopCtx);
await revokeToken(bareChain, "refresh_token", noopCtx).catch(() => undefined);
await deletePerson(person);
await db().$disconnect();
