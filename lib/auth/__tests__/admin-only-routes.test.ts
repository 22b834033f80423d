import "@/lib/validation/__tests__/hostile-input-als";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { db } from "@/lib/db";
import { fingerprintDb } from "@/lib/validation/__tests__/hostile-input-db";
import { inRequestScope, makeRequest } from "@/lib/validation/__tests__/hostile-input-scope";
import { createTestSession, type TTestSession } from "@/lib/validation/__tests__/hostile-input-session";

// Every admin page and every route under app/api/admin, found on disk (so a new one is covered the day it
// is added), called as Next calls it with an ordinary user's real session: 403 and nothing changed. The
// Playwright loop in e2e/admin/audit-trail.spec.ts shows the same through the running server for some.

const ROOT = path.resolve(import.meta.dirname, "../../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function filesNamed(dir: string, names: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesNamed(full, names) : names.includes(e.name) ? [full] : [];
  });
}

const rel = (file: string) => path.relative(ROOT, file);
const adminRoutes = filesNamed(path.join(ROOT, "app/api/admin"), ["route.ts"]);
const adminPages = filesNamed(path.join(ROOT, "app/(admin)"), ["page.tsx", "layout.tsx"]);

let user: TTestSession;

beforeAll(async () => {
  // What `next build` sets from next.config.ts; without it forbidden() throws instead of answering 403.
  if (nextConfig.experimental?.authInterrupts) process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
  user = await createTestSession("user");
});

afterAll(async () => {
  await db().loginSession.deleteMany({ where: { userSub: user.sub } });
});

describe("an ordinary user is refused every admin page and admin API route", () => {
  it("finds the admin surface on disk, the Workers page and its poll included", () => {
    expect(adminRoutes.map(rel)).toEqual(expect.arrayContaining(["app/api/admin/workers/route.ts", "app/api/admin/audit/route.ts"]));
    expect(adminPages.map(rel)).toEqual(expect.arrayContaining(["app/(admin)/admin/workers/page.tsx", "app/(admin)/admin/layout.tsx"]));
  });

  it.each(adminRoutes.map(rel))("%s: 403 Forbidden with a user's session, 401 without one", async (file) => {
    const mod = (await import(path.join(ROOT, file))) as Partial<Record<(typeof METHODS)[number], unknown>>;
    const handlers = METHODS.filter((m) => typeof mod[m] === "function");
    expect(handlers.length, "a route module exports at least one method").toBeGreaterThan(0);
    const urlPath = `/${path.dirname(file).replace(/^app\//, "")}`;
    for (const method of handlers) {
      const handler = mod[method] as (req: unknown, ctx: unknown) => Promise<Response>;
      for (const [who, cookie, status] of [
        ["user", user.cookie, 403],
        ["signed out", undefined, 401],
      ] as const) {
        const before = await fingerprintDb();
        const req = makeRequest(urlPath, {
          method,
          cookie,
          headers: { origin: "http://localhost:3000", "content-type": "application/json" },
          body: method === "GET" ? undefined : "{}",
        });
        const res = await inRequestScope(req, () => handler(req, { params: Promise.resolve({}) }));
        expect(res.status, `${method} ${urlPath} as ${who}`).toBe(status);
        expect(((await res.json()) as { code?: string }).code).toBe(status === 403 ? "Forbidden" : "Unauthenticated");
        expect(res.headers.get("content-disposition")).toBeNull();
        const after = await fingerprintDb();
        expect(after.tables, `${method} ${urlPath} as ${who} changed the database`).toEqual(before.tables);
        expect(after.auditSeq, `${method} ${urlPath} as ${who} wrote an audit row`).toBe(before.auditSeq);
      }
    }
  });

  it.each(adminPages.map(rel))("%s: renders Next's 403 for a user, and records no admin view", async (file) => {
    const mod = (await import(path.join(ROOT, file))) as { default: (props: unknown) => Promise<unknown> };
    const before = await fingerprintDb();
    const req = makeRequest(`/${path.dirname(file).replace(/^app\/\(admin\)\//, "")}`, { cookie: user.cookie });
    const thrown = await inRequestScope(req, () =>
      mod.default({ params: Promise.resolve({}), searchParams: Promise.resolve({}), children: null }),
    ).then(
      () => null,
      (error: unknown) => error,
    );
    // forbidden() throws this digest; Next renders it as 403 with app/forbidden.tsx.
    expect((thrown as { digest?: string } | null)?.digest).toBe("NEXT_HTTP_ERROR_FALLBACK;403");
    const after = await fingerprintDb();
    expect(after.tables).toEqual(before.tables);
    expect(after.auditSeq).toBe(before.auditSeq);
  });
});
