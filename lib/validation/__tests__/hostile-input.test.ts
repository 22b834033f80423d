import "./hostile-input-als";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as auditRoute from "@/app/api/admin/audit/route";
import * as auditChartRoute from "@/app/api/admin/audit/chart/route";
import * as auditExportRoute from "@/app/api/admin/audit/export/route";
import * as auditVerifyRoute from "@/app/api/admin/audit/verify/route";
import * as auditCheckpointRoute from "@/app/api/admin/audit/checkpoint/route";
import * as workersRoute from "@/app/api/admin/workers/route";
import * as tiersRoute from "@/app/api/admin/tiers/route";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import * as backchannelRoute from "@/app/api/backchannel-logout/route";
import * as dashboardBackchannelRoute from "@/app/api/auth/backchannel-logout/route";
import * as grantsRoute from "@/app/api/grants/route";
import * as receiptRoute from "@/app/api/grants/[grantId]/receipt/route";
import * as healthLiveRoute from "@/app/api/health/live/route";
import * as healthReadyRoute from "@/app/api/health/ready/route";
import * as metricsRoute from "@/app/api/metrics/route";
import * as sessionEndRoute from "@/app/api/session/end/route";
import * as tasksRoute from "@/app/api/tasks/route";
import * as taskRequestsRoute from "@/app/api/tasks/requests/route";
import { checkGrantAction, revokeAllGrantsAction, revokeGrantAction } from "@/app/(user)/access/actions";
import { changeTaskAction, enableTaskAction, searchNotesAction } from "@/app/(user)/tasks/actions";
import { pollAppPasswordAction, startAppPasswordAction, startGrantAction } from "@/app/(user)/grants/new/actions";
import { runTierProbesAction } from "@/app/(admin)/admin/tiers/actions";
import { signAuditCheckpointAction } from "@/app/(admin)/admin/audit/actions";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import type { TActionResult } from "@/lib/actions/authed-action";
import { auditRowsSince, fingerprintDb, type TDbFingerprint } from "./hostile-input-db";
import { inRequestScope, makeRequest } from "./hostile-input-scope";
import { createTestSession, reconfirmTestSessions, seedGrantAndTask, type TTestSession } from "./hostile-input-session";
import { HOSTILE_STRINGS, HOSTILE_TARGETS, HOSTILE_VALUES, type THostileCase, type TKind } from "./hostile-input-table";
import { fakeJwt } from "@/test/fake-jwt";

// Every API route handler under app/api and every server action, called as Next calls them (real request
// scope, real session cookie and LoginSession row, real database), with hostile input. Each answer must be
// an ordinary one: a legal value gets a normal answer, anything else 400 / BadInput naming the field; never
// a 500 or "Internal"; and the database must be exactly as before (apart from the admin's own view being
// recorded in the audit trail when a legal query ran).

let admin: TTestSession;
let user: TTestSession;
let seeded: { grantId: string; taskId: string };
const MISSING_ID = "c0000000000000000000hostile";
const METRICS_TOKEN = "hostile-input-metrics-token-0123456789";
const ROOT = resolve(import.meta.dirname, "../../..");

/** `file METHOD` of each route handler and `file name` of each server action a test here has called. */
const reached = new Set<string>();
/** The route handlers of HOSTILE_TARGETS by function (one function may serve several methods). */
const handlerKeys = new Map<unknown, string[]>();

beforeAll(async () => {
  // The metrics route then checks a bearer token (without one it refuses everything with 403).
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  resetEnvForTests();
  for (const [file, methods] of Object.entries(HOSTILE_TARGETS.routes)) {
    const mod = (await import(join(ROOT, file))) as Record<string, unknown>;
    for (const method of methods) handlerKeys.set(mod[method], [...(handlerKeys.get(mod[method]) ?? []), `${file} ${method}`]);
  }
  admin = await createTestSession("admin");
  user = await createTestSession("user");
  seeded = await seedGrantAndTask(user.sub);
});

// The file runs for longer than the sessions' 5-minute re-check: each test starts with both just confirmed
// (outside any comparison: the next snapshot is taken afresh).
beforeEach(async () => {
  await reconfirmTestSessions(admin, user);
  lastFingerprint = undefined;
});

afterAll(async () => {
  await db().task.deleteMany({ where: { userSub: { in: [user.sub, admin.sub] } } });
  await db().grant.deleteMany({ where: { userSub: { in: [user.sub, admin.sub] } } });
});

type TRouteHandler = (req: never, ctx: never) => Promise<Response>;

async function call(
  handler: TRouteHandler,
  url: string,
  init: Parameters<typeof makeRequest>[1] = {},
  ctx?: unknown,
): Promise<{ status: number; body: unknown; text: string }> {
  for (const key of handlerKeys.get(handler) ?? []) reached.add(key);
  const req = makeRequest(url, init);
  // A handler that throws is what Next answers with a 500.
  const res = await inRequestScope(req, () => (handler as (r: unknown, c: unknown) => Promise<Response>)(req, ctx)).catch(
    (error: unknown) => new Response(`thrown: ${String(error)}`, { status: 500 }),
  );
  const text = await res.text().catch((error: unknown) => `body failed: ${String(error)}`);
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, body, text };
}

/**
 * What changed in the database since `before`; `views` lists audit rows a legal request may add (the admin's
 * own view). The fingerprint taken here is kept, so the next call's `before` costs nothing.
 */
let lastFingerprint: TDbFingerprint | undefined;
async function changes(before: TDbFingerprint, views: string[] = []): Promise<string[]> {
  const out: string[] = [];
  for (const row of await auditRowsSince(before)) if (!views.includes(row)) out.push(`audit row added: ${row}`);
  const after = await fingerprintDb();
  for (const [table, hash] of Object.entries(after.tables)) if (before.tables[table] !== hash) out.push(`${table} changed`);
  lastFingerprint = after;
  return out;
}

/** The database's fingerprint now: the one the last comparison took, unless something ran since. */
async function snapshot(): Promise<TDbFingerprint> {
  const fp = lastFingerprint ?? (await fingerprintDb());
  lastFingerprint = undefined;
  return fp;
}

const label = (c: THostileCase) =>
  `${c.name} (${String(JSON.stringify(c.value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))).slice(0, 40)})`;
const queryCases = HOSTILE_STRINGS.filter((c) => c.only !== "action");
const actionCases = [...HOSTILE_STRINGS.filter((c) => c.only !== "query"), ...HOSTILE_VALUES];

const FILTERS: Record<string, TKind> = {
  subject: "id",
  actor: "text256",
  action: "text128",
  outcome: "outcome",
  taskId: "id",
  from: "date",
  to: "date",
  q: "search",
};

const QUERY_ROUTES: { path: string; handler: TRouteHandler; fields: Record<string, TKind>; view: string }[] = [
  { path: "/api/admin/audit", handler: auditRoute.GET, fields: { ...FILTERS, cursor: "cursor" }, view: "audit.search" },
  { path: "/api/admin/audit/chart", handler: auditChartRoute.GET, fields: FILTERS, view: "" },
  { path: "/api/admin/audit/export", handler: auditExportRoute.GET, fields: { ...FILTERS, format: "format" }, view: "audit.export" },
  // A person's own older requests (the admin here reads their own feed, which records no admin view).
  { path: "/api/tasks/requests", handler: taskRequestsRoute.GET, fields: { cursor: "cursor" }, view: "" },
];

describe("every API route refuses hostile query input with 400 naming the field, and changes nothing", () => {
  for (const route of QUERY_ROUTES) {
    for (const [field, kind] of Object.entries(route.fields)) {
      it(`${route.path} ?${field}= (${kind})`, async () => {
        const problems: string[] = [];
        const views = route.view ? [`${route.view} by ${admin.sub}`] : [];
        for (const c of queryCases) {
          const qs = c.rawQuery !== undefined ? `${field}=${c.rawQuery}` : new URLSearchParams({ [field]: String(c.value) }).toString();
          const before = await snapshot();
          const res = await call(route.handler, `${route.path}?${qs}`, { cookie: admin.cookie });
          const legal = c.accepts.includes(kind);
          const body = res.body as { code?: string; field?: string } | null;
          if (legal && res.status !== 200) problems.push(`${label(c)}: legal value answered ${res.status} ${res.text.slice(0, 200)}`);
          if (!legal && (res.status !== 400 || body?.code !== "BadInput" || body.field !== field)) {
            problems.push(`${label(c)}: expected 400 BadInput field=${field}, got ${res.status} ${res.text.slice(0, 200)}`);
          }
          for (const change of await changes(before, legal ? views : [])) problems.push(`${label(c)}: ${change}`);
        }
        // An array where one value belongs: the parameter given twice.
        const before = await snapshot();
        const twice = await call(route.handler, `${route.path}?${field}=abc&${field}=def`, { cookie: admin.cookie });
        if (twice.status !== 400 || (twice.body as { field?: string } | null)?.field !== field)
          problems.push(`given twice: got ${twice.status} ${twice.text}`);
        problems.push(...(await changes(before)));
        expect(problems).toEqual([]);
      });
    }
  }

  it("routes without input ignore hostile query parameters: no 500, nothing changed", async () => {
    const junk =
      "q=%00&cursor=" + encodeURIComponent("ae1:99999999999999999999") + "&from=200000&to=-271821-04-20T00:00:00Z&x=%3Cscript%3E&x=2";
    const targets: [string, TRouteHandler, TTestSession, string[]][] = [
      ["/api/grants", grantsRoute.GET, user, []],
      ["/api/tasks", tasksRoute.GET, user, []],
      ["/api/admin/audit/verify", auditVerifyRoute.GET, admin, [`audit.verify by ${admin.sub}`]],
      ["/api/admin/tiers", tiersRoute.GET, admin, []],
      ["/api/admin/audit/checkpoint", auditCheckpointRoute.GET, admin, []],
      ["/api/admin/workers", workersRoute.GET, admin, []],
    ];
    const problems: string[] = [];
    for (const [path, handler, session, views] of targets) {
      for (const cookie of [
        session.cookie,
        undefined,
        "next-auth.session-token=%00garbage",
        `next-auth.session-token=${"a".repeat(5000)}`,
      ]) {
        const before = await snapshot();
        const res = await call(handler, `${path}?${junk}`, { cookie });
        const expected = cookie === session.cookie ? 200 : 401;
        if (res.status !== expected)
          problems.push(`${path} cookie=${cookie?.slice(0, 30)}: expected ${expected}, got ${res.status} ${res.text.slice(0, 200)}`);
        for (const change of await changes(before, views)) problems.push(`${path}: ${change}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("/api/session/end refuses hostile origins with 403 and signs nobody out", async () => {
    const problems: string[] = [];
    for (const origin of [
      "null",
      "http://localhost:3001",
      "http://localhost:3000.evil.example",
      "javascript:alert(1)",
      "x".repeat(5_000),
      "http://localhost:3000/%00",
    ]) {
      const before = await snapshot();
      const res = await call(sessionEndRoute.POST, "/api/session/end?redirect=%00", {
        method: "POST",
        cookie: user.cookie,
        headers: { origin },
      });
      if (res.status !== 403) problems.push(`origin ${origin.slice(0, 40)}: got ${res.status}`);
      problems.push(...(await changes(before)));
    }
    const before = await snapshot();
    const anonymous = await call(sessionEndRoute.POST, "/api/session/end?%00=%00", { method: "POST", body: "\u0000".repeat(10) });
    if (anonymous.status !== 303) problems.push(`signed out: got ${anonymous.status}`);
    problems.push(...(await changes(before)));
    expect(problems).toEqual([]);
  });

  const BACKCHANNEL_ROUTES: [string, TRouteHandler][] = [
    ["/api/backchannel-logout", backchannelRoute.POST],
    ["/api/auth/backchannel-logout", dashboardBackchannelRoute.POST],
  ];
  for (const [url, handler] of BACKCHANNEL_ROUTES) {
    it(`${url} refuses anything but one genuine logout_token with 400 naming it, and changes nothing`, async () => {
      const problems: string[] = [];
      const form = (v: string) => ({
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ logout_token: v }).toString(),
      });
      const bodies: [string, Parameters<typeof makeRequest>[1]][] = [
        ...queryCases.map((c) => [label(c), form(String(c.value))] as [string, Parameters<typeof makeRequest>[1]]),
        [
          "given twice",
          {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "logout_token=a.b.c&logout_token=d.e.f",
          },
        ],
        ["JSON body", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ logout_token: "a.b.c" }) }],
        [
          "multipart with a file",
          {
            method: "POST",
            headers: { "content-type": "multipart/form-data; boundary=hostile" },
            body: multipartWithFile("logout_token", "a.b.c"),
          },
        ],
        ["no body", { method: "POST" }],
        [
          "declared 10 MB",
          {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "10000000" },
            body: "logout_token=a.b.c",
          },
        ],
        ["a JWT with NUL", form(`${fakeJwt({ sub: "x" }, { alg: "RS256" })}\u0000`)],
        ["a forged unsigned JWT", form(fakeJwt({ sub: "x", events: {} }, { alg: "none" }))],
        ["a forged RS256 JWT", form(fakeJwt({ sub: user.sub, sid: "x", events: {}, jti: "j" }, { alg: "RS256", kid: "nope" }))],
      ];
      for (const [name, init] of bodies) {
        const before = await snapshot();
        const res = await call(handler, url, init);
        const body = res.body as { code?: string; field?: string } | null;
        if (res.status !== 400 || body?.code !== "BadInput" || body.field !== "logout_token")
          problems.push(`${name}: got ${res.status} ${res.text.slice(0, 200)}`);
        problems.push(...(await changes(before)).map((c) => `${name}: ${c}`));
      }
      expect(problems).toEqual([]);
    });
  }

  it("/api/grants/[grantId]/receipt refuses a hostile grantId (path parameter) with 400 naming it; a legal one is 404", async () => {
    const problems: string[] = [];
    const cases: [string, unknown, boolean][] = [
      ...queryCases
        .filter((c) => c.rawQuery === undefined)
        // Blank means "no filter" in a query string; a path segment has no such meaning, so it is refused.
        .map((c) => [label(c), c.value, c.accepts.includes("id") && String(c.value).trim() !== ""] as [string, unknown, boolean]),
      ["the user's own grant, not revoked", seeded.grantId, true],
      ["no such grant", MISSING_ID, true],
      ["an empty segment", "", false],
      ["a slash inside", `${seeded.grantId}/..`, false],
      ["an array", [seeded.grantId], false],
      ["undefined", undefined, false],
    ];
    for (const [name, grantId] of cases) {
      const before = await snapshot();
      const res = await call(
        receiptRoute.GET,
        "/api/grants/hostile/receipt?x=%00",
        { cookie: user.cookie },
        { params: Promise.resolve({ grantId }) },
      );
      const legal = cases.find((c) => c[0] === name)![2];
      const body = res.body as { code?: string; field?: string } | null;
      if (legal && (res.status !== 404 || body?.code !== "NotFound"))
        problems.push(`${name}: expected 404, got ${res.status} ${res.text.slice(0, 200)}`);
      if (!legal && (res.status !== 400 || body?.code !== "BadInput" || body.field !== "grantId"))
        problems.push(`${name}: expected 400 BadInput field=grantId, got ${res.status} ${res.text.slice(0, 200)}`);
      problems.push(...(await changes(before)).map((c) => `${name}: ${c}`));
    }
    // Another person's grant is not found, and so is every grant for someone signed out (401 first).
    const foreign = await call(
      receiptRoute.GET,
      "/api/grants/x/receipt",
      { cookie: admin.cookie },
      { params: Promise.resolve({ grantId: seeded.grantId }) },
    );
    if (foreign.status !== 404) problems.push(`another person's grant: got ${foreign.status}`);
    const anonymous = await call(receiptRoute.GET, "/api/grants/x/receipt", {}, { params: Promise.resolve({ grantId: "\u0000" }) });
    if (anonymous.status !== 401) problems.push(`signed out: got ${anonymous.status}`);
    expect(problems).toEqual([]);
  });

  it("POST /api/admin/audit/verify answers a hostile file with a verification or 400/413 naming the file, never a 500", async () => {
    const problems: string[] = [];
    const post = (body: BodyInit | undefined, headers: Record<string, string> = {}) => ({
      method: "POST",
      cookie: admin.cookie,
      headers: { origin: "http://localhost:3000", "content-type": "application/octet-stream", ...headers },
      body,
    });
    const files: [string, Parameters<typeof makeRequest>[1]][] = [
      ...queryCases
        .filter((c) => c.rawQuery === undefined)
        .map((c) => [label(c), post(String(c.value))] as [string, Parameters<typeof makeRequest>[1]]),
      ["empty", post("")],
      ["no body", post(undefined)],
      ["bytes that are not UTF-8", post(new Uint8Array([0xff, 0xfe, 0xed, 0xa0, 0x80]))],
      ["JSON null", post("null")],
      ["JSON array", post("[1,2,3]")],
      ["JSON nested 5,000 deep", post(`${"[".repeat(5_000)}${"]".repeat(5_000)}`)],
      ["events with a string seq", post('{"events": [{"seq": "1"}]}')],
      ["events with a seq beyond int64", post('{"events": [{"seq": 99999999999999999999, "hash": "00"}]}')],
      [
        "a checkpoint with a forged signature",
        post(
          '{"type":"ncdd.audit-checkpoint/v1","headSeq":"1","headHash":"00","keyId":"a2","signature":"AAAA","at":"2026-01-01T00:00:00Z"}',
        ),
      ],
      ["a receipt shape with junk", post('{"type":"ncdd.revocation-receipt/v1","checkpoint":{"headSeq":-1}}')],
      ["CSV with a formula", post('seq,hash\r\n=HYPERLINK("http://evil"),1\r\n')],
      ["CSV header only", post("seq,at,actor,action\r\n")],
      ["declared 60 MB", post("{}", { "content-length": String(60 * 1024 * 1024) })],
      ["multipart form with the file", post(multipartWithFile("file", "{}"), { "content-type": "multipart/form-data; boundary=hostile" })],
    ];
    for (const [name, init] of files) {
      const before = await snapshot();
      const res = await call(auditVerifyRoute.POST, "/api/admin/audit/verify", init);
      const body = res.body as { code?: string; field?: string; ok?: boolean } | null;
      const verified = res.status === 200 && typeof body?.ok === "boolean";
      const refused = (res.status === 400 || res.status === 413) && body?.code === "BadInput" && body.field === "file";
      if (!verified && !refused) problems.push(`${name}: got ${res.status} ${res.text.slice(0, 200)}`);
      // Checking a witness is recorded (that is the point of the audit trail); a refused file records nothing.
      for (const change of await changes(before, verified ? [`audit.verify-witness by ${admin.sub}`] : []))
        problems.push(`${name}: ${change}`);
    }
    for (const origin of [undefined, "null", "http://localhost:3001", "http://localhost:3000.evil.example"]) {
      const before = await snapshot();
      const res = await call(auditVerifyRoute.POST, "/api/admin/audit/verify", {
        method: "POST",
        cookie: admin.cookie,
        headers: origin ? { origin } : {},
        body: "{}",
      });
      if (res.status !== 403) problems.push(`origin ${origin}: got ${res.status}`);
      problems.push(...(await changes(before)).map((c) => `origin ${origin}: ${c}`));
    }
    expect(problems).toEqual([]);
  });

  it("health and metrics endpoints ignore hostile input: never a 500, no secret in the answer, nothing changed", async () => {
    const problems: string[] = [];
    const junk = "q=%00&cursor=" + encodeURIComponent("ae1:99999999999999999999") + "&from=200000&x=%3Cscript%3E&x=2";
    const cookies = [undefined, user.cookie, admin.cookie, "next-auth.session-token=%00garbage"];
    for (const cookie of cookies) {
      for (const [url, handler, ok] of [
        ["/api/health/live", healthLiveRoute.GET, [200]],
        ["/api/health/ready", healthReadyRoute.GET, [200, 503]],
      ] as [string, TRouteHandler, number[]][]) {
        const before = await snapshot();
        const res = await call(handler, `${url}?${junk}`, { cookie, method: "GET" });
        if (!ok.includes(res.status)) problems.push(`${url}: got ${res.status} ${res.text.slice(0, 200)}`);
        if (/postgresql:\/\/|TOKEN_VAULT|secret/i.test(res.text)) problems.push(`${url}: answer names a secret: ${res.text.slice(0, 200)}`);
        problems.push(...(await changes(before)).map((c) => `${url}: ${c}`));
      }
    }
    const authorizations: [string | undefined, number][] = [
      [undefined, 401],
      ["", 401],
      ["Bearer", 401],
      ["Bearer ", 401],
      [`bearer ${METRICS_TOKEN}`, 401],
      [`Bearer ${METRICS_TOKEN}x`, 401],
      [`Bearer ${METRICS_TOKEN.slice(0, -1)}`, 401],
      [`Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString("base64")}`, 401],
      [`Bearer ${"a".repeat(10_000)}`, 401],
      ["Bearer \u00ff\u00fe", 401],
      [`Bearer ${METRICS_TOKEN}, Bearer ${METRICS_TOKEN}`, 401],
      [`Bearer ${METRICS_TOKEN}`, 200],
    ];
    for (const [authorization, expected] of authorizations) {
      const before = await snapshot();
      const res = await call(metricsRoute.GET, `/api/metrics?${junk}`, {
        cookie: admin.cookie,
        headers: authorization === undefined ? {} : { authorization },
      });
      if (res.status !== expected)
        problems.push(`metrics with ${JSON.stringify(authorization?.slice(0, 40))}: expected ${expected}, got ${res.status}`);
      if (res.text.includes(METRICS_TOKEN)) problems.push("metrics: the answer contains the token");
      problems.push(...(await changes(before)).map((c) => `metrics: ${c}`));
    }
    expect(problems).toEqual([]);
  });
});

/** A multipart/form-data body (boundary "hostile") carrying `content` as a file in the field `name`. */
function multipartWithFile(name: string, content: string): string {
  return [
    "--hostile",
    `Content-Disposition: form-data; name="${name}"; filename="x.txt"`,
    "Content-Type: text/plain",
    "",
    content,
    "--hostile--",
    "",
  ].join("\r\n");
}

describe("next-auth's route answers hostile input without a 500 and changes nothing", () => {
  const segments: string[][] = [
    ["session"],
    ["csrf"],
    ["providers"],
    ["signin"],
    ["signin", "keycloak"],
    ["callback", "keycloak"],
    ["signout"],
    ["error"],
    ["_log"],
    ["\u0000"],
    ["x".repeat(5_000)],
    ["session", "\u0000"],
    ["callback", "<script>"],
    ["signin", "' OR '1'='1"],
    ["callback", "keycloak", "extra"],
    [],
  ];
  const values = queryCases.filter((c) => c.rawQuery === undefined).map((c) => String(c.value));
  for (const nextauth of segments) {
    it(`GET and POST /api/auth/${JSON.stringify(nextauth).slice(0, 40)} with hostile query values and form bodies`, async () => {
      const problems: string[] = [];
      for (const value of [...values.slice(0, 12), ...values.slice(-6)]) {
        for (const [method, callbackUrl] of [
          ["GET", "/"],
          ["POST", "/"],
          ["GET", value],
          ["POST", value],
        ] as const) {
          const qs = new URLSearchParams({ callbackUrl, error: value, code: value, state: value }).toString();
          const body = method === "POST" ? new URLSearchParams({ csrfToken: value, callbackUrl, json: "true" }).toString() : undefined;
          const before = await snapshot();
          const path = `/api/auth/${nextauth.map(encodeURIComponent).join("/")}?${qs}`;
          const res = await call(
            method === "GET" ? authRoute.GET : authRoute.POST,
            path,
            { method, cookie: user.cookie, body, headers: body ? { "content-type": "application/x-www-form-urlencoded" } : {} },
            { params: Promise.resolve({ nextauth }) },
          );
          const tag = `${method} ${JSON.stringify(value).slice(0, 30)} callbackUrl=${JSON.stringify(callbackUrl).slice(0, 20)}`;
          if (res.status >= 500) problems.push(`${tag}: ${res.status} ${res.text.slice(0, 200)}`);
          const b = res.body as { code?: string; field?: string } | null;
          if (res.status === 400 && b?.code === "BadInput" && !b.field) problems.push(`${tag}: 400 without a field`);
          problems.push(...(await changes(before)).map((c) => `${tag}: ${c}`));
        }
      }
      expect(problems).toEqual([]);
    }, 180_000);
  }

  it("bodies next-auth cannot parse, and a hostile callback-URL cookie", async () => {
    const problems: string[] = [];
    for (const [name, init] of [
      ["broken JSON", { method: "POST", headers: { "content-type": "application/json" }, body: '{"csrfToken":' }],
      ["JSON array", { method: "POST", headers: { "content-type": "application/json" }, body: "[1,2]" }],
      ["callback-url cookie", { method: "GET", cookie: `${user.cookie}; next-auth.callback-url=pause` }],
      ["callback-url cookie with NUL", { method: "GET", cookie: `${user.cookie}; next-auth.callback-url=%2F%00` }],
    ] as [string, Parameters<typeof makeRequest>[1]][]) {
      for (const nextauth of [["signin", "keycloak"], ["session"], ["signout"]]) {
        const before = await snapshot();
        const res = await call(
          init!.method === "GET" ? authRoute.GET : authRoute.POST,
          `/api/auth/${nextauth.join("/")}`,
          { cookie: user.cookie, ...init },
          { params: Promise.resolve({ nextauth }) },
        );
        if (res.status >= 500) problems.push(`${name} ${nextauth.join("/")}: ${res.status} ${res.text.slice(0, 200)}`);
        problems.push(...(await changes(before)).map((c) => `${name}: ${c}`));
      }
    }
    expect(problems).toEqual([]);
  });
});

type TAction = {
  name: string;
  call: (input: unknown) => Promise<TActionResult<unknown>>;
  session: () => TTestSession;
  /** A legal input with ids that match nothing: fields are replaced one at a time. None: input-less action. */
  base?: () => Record<string, unknown>;
  fields?: Record<string, TKind>;
  /** Values of the input as a whole that mean "no input" for input-less actions (they would run the action). */
  runs?: (v: unknown) => boolean;
};

const ACTIONS: TAction[] = [
  {
    name: "revokeGrantAction",
    call: (i) => revokeGrantAction(i as never),
    session: () => user,
    base: () => ({ grantId: MISSING_ID }),
    fields: { grantId: "id" },
  },
  {
    name: "checkGrantAction",
    call: (i) => checkGrantAction(i as never),
    session: () => user,
    base: () => ({ grantId: MISSING_ID }),
    fields: { grantId: "id" },
  },
  {
    name: "revokeAllGrantsAction",
    call: (i) => revokeAllGrantsAction(i as never),
    session: () => user,
    runs: (v) =>
      v === null ||
      v === undefined ||
      (typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length === 0),
  },
  {
    name: "enableTaskAction",
    call: (i) => enableTaskAction(i as never),
    session: () => user,
    base: () => ({ type: "notes-index", intervalMinutes: 60 }),
    fields: { type: "taskType", intervalMinutes: "minutes" },
  },
  {
    name: "changeTaskAction",
    call: (i) => changeTaskAction(i as never),
    session: () => user,
    base: () => ({ action: "interval", taskId: MISSING_ID, intervalMinutes: 60 }),
    fields: { action: "changeAction", taskId: "id", intervalMinutes: "minutes" },
  },
  {
    name: "searchNotesAction",
    call: (i) => searchNotesAction(i as never),
    session: () => user,
    base: () => ({ q: "hello" }),
    fields: { q: "text128" },
  },
  {
    name: "startAppPasswordAction",
    call: (i) => startAppPasswordAction(i as never),
    session: () => user,
    runs: (v) =>
      v === null ||
      v === undefined ||
      (typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length === 0),
  },
  {
    name: "pollAppPasswordAction",
    call: (i) => pollAppPasswordAction(i as never),
    session: () => user,
    runs: (v) =>
      v === null ||
      v === undefined ||
      (typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length === 0),
  },
  {
    name: "runTierProbesAction",
    call: (i) => runTierProbesAction(i as never),
    session: () => admin,
    runs: (v) =>
      v === null ||
      v === undefined ||
      (typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length === 0),
  },
  {
    name: "signAuditCheckpointAction",
    call: (i) => signAuditCheckpointAction(i as never),
    session: () => admin,
    runs: (v) =>
      v === null ||
      v === undefined ||
      (typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length === 0),
  },
];

async function runAction(action: TAction, input: unknown): Promise<TActionResult<unknown>> {
  reached.add(`action ${action.name}`);
  const req = makeRequest("/", { method: "POST", cookie: action.session().cookie });
  return inRequestScope(req, () => action.call(input));
}

describe("every server action answers hostile input with BadInput naming the field, and changes nothing", () => {
  for (const action of ACTIONS) {
    for (const [field, kind] of Object.entries(action.fields ?? {})) {
      it(`${action.name} { ${field} } (${kind})`, async () => {
        const problems: string[] = [];
        const near =
          kind === "id"
            ? [seeded.grantId, seeded.taskId].flatMap((id) => [`${id}\u0000`, `${id} `, ` ${id}`, `${id}' OR '1'='1`, [id], { id }])
            : [];
        const cases = [...actionCases, ...near.map((value) => ({ name: "near miss of a real id", value, accepts: [] as TKind[] }))];
        for (const c of cases) {
          const before = await snapshot();
          const result = await runAction(action, { ...action.base!(), [field]: c.value });
          const legal = c.accepts.includes(kind);
          if (legal && !result.ok && (result.code === "BadInput" || result.code === "Internal"))
            problems.push(`${label(c)}: legal value answered ${result.code}: ${result.error}`);
          if (
            !legal &&
            (result.ok || result.code !== "BadInput" || !(result.error.startsWith(`${field}:`) || result.error.startsWith(`${field}.`)))
          ) {
            problems.push(`${label(c)}: expected BadInput naming ${field}, got ${JSON.stringify(result).slice(0, 200)}`);
          }
          problems.push(...(await changes(before)).map((ch) => `${label(c)}: ${ch}`));
        }
        expect(problems).toEqual([]);
      });
    }

    it(`${action.name} (the input as a whole)`, async () => {
      const problems: string[] = [];
      for (const c of actionCases) {
        if (action.runs?.(c.value)) continue;
        const before = await snapshot();
        const result = await runAction(action, c.value);
        if (result.ok || result.code !== "BadInput" || !/^[\w.$()]+: /.test(result.error))
          problems.push(`${label(c)}: expected BadInput naming a field, got ${JSON.stringify(result).slice(0, 200)}`);
        problems.push(...(await changes(before)).map((ch) => `${label(c)}: ${ch}`));
      }
      expect(problems).toEqual([]);
    });
  }

  it("startGrantAction refuses a hostile consent form, redirecting with BadInput and the field", async () => {
    const problems: string[] = [];
    const submit = async (form: unknown): Promise<string> => {
      reached.add("action startGrantAction");
      const req = makeRequest("/grants/new", { method: "POST", cookie: user.cookie });
      const error = await inRequestScope(req, () => startGrantAction(form as FormData)).then(
        () => null,
        (e: unknown) => e,
      );
      const digest = String((error as { digest?: unknown } | null)?.digest ?? error);
      return digest.split(";")[2] ?? digest;
    };
    const formOf = (entries: [string, string | Blob][]) => {
      const f = new FormData();
      for (const [k, v] of entries) f.append(k, v);
      return f;
    };
    for (const field of ["task", "scopes"]) {
      for (const c of HOSTILE_STRINGS.filter((x) => x.only !== "query")) {
        const before = await snapshot();
        const target = await submit(
          formOf([
            [field, String(c.value)],
            [field === "task" ? "scopes" : "task", ""],
          ]),
        );
        const legalTask = field === "task" && c.accepts.includes("taskType");
        const ok = legalTask
          ? /^http:\/\/localhost:8180\//.test(target)
          : c.accepts.includes("id") && field === "scopes"
            ? target === "/access?error=BadInput"
            : target.startsWith(`/access?error=BadInput&field=${field}`);
        if (!ok) problems.push(`${field} ${label(c)}: redirected to ${target.slice(0, 120)}`);
        problems.push(...(await changes(before)).map((ch) => `${field} ${label(c)}: ${ch}`));
      }
    }
    const wholes: [string, unknown][] = [
      ...HOSTILE_VALUES.map((c) => [label(c), c.value] as [string, unknown]),
      ["a string", "task=notes-index"],
      [
        "task twice",
        formOf([
          ["task", "notes-index"],
          ["task", "files-inventory"],
        ]),
      ],
      ["a file for a field", formOf([["task", new Blob(["notes-index"])]])],
    ];
    for (const [name, value] of wholes) {
      const before = await snapshot();
      const target = await submit(value);
      if (!target.startsWith("/access?error=BadInput&field=")) problems.push(`${name}: redirected to ${target.slice(0, 120)}`);
      problems.push(...(await changes(before)).map((ch) => `${name}: ${ch}`));
    }
    expect(problems).toEqual([]);
  });
});

/** Files under `dir` named `name`, as paths relative to the repository. */
function filesNamed(dir: string, name: (file: string) => boolean): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && name(e.name) && !e.parentPath.includes("__tests__"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

// Last on purpose: it reads what the tests above reached (run the whole file, not a -t selection).
describe("the hostile-input table reaches every route handler under app/api and every server action", () => {
  it("lists every route.ts under app/api with each method it exports, and every exported server action", async () => {
    const routes: Record<string, string[]> = {};
    for (const file of filesNamed("app/api", (f) => f === "route.ts")) {
      const mod = (await import(join(ROOT, file))) as Record<string, unknown>;
      routes[file] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].filter((m) => typeof mod[m] === "function");
    }
    const actions: Record<string, string[]> = {};
    for (const file of [...filesNamed("app", (f) => /\.tsx?$/.test(f)), ...filesNamed("lib", (f) => /\.tsx?$/.test(f))]) {
      // A "use server" module: every export is a server action the browser can call.
      if (!/^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(readFileSync(join(ROOT, file), "utf8"))) continue;
      const mod = (await import(join(ROOT, file))) as Record<string, unknown>;
      actions[file] = Object.keys(mod)
        .filter((k) => typeof mod[k] === "function")
        .sort();
    }
    const sorted = (r: Record<string, string[]>) =>
      Object.fromEntries(
        Object.entries(r)
          .map(([k, v]) => [k, [...v].sort()])
          .sort(),
      );
    expect(sorted(routes), "route handlers on disk vs HOSTILE_TARGETS.routes (hostile-input-table.ts)").toEqual(
      sorted(HOSTILE_TARGETS.routes),
    );
    expect(sorted(actions), "server actions on disk vs HOSTILE_TARGETS.actions (hostile-input-table.ts)").toEqual(
      sorted(HOSTILE_TARGETS.actions),
    );
  });

  it("sent hostile input to each of them", () => {
    const listed = [
      ...Object.entries(HOSTILE_TARGETS.routes).flatMap(([file, methods]) => methods.map((m) => `${file} ${m}`)),
      ...Object.values(HOSTILE_TARGETS.actions).flatMap((names) => names.map((n) => `action ${n}`)),
    ];
    expect(listed.filter((key) => !reached.has(key))).toEqual([]);
  });
});
