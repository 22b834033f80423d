import { NextRequest } from "next/server";
// Next's own request and work stores: cookies(), headers(), after() and revalidatePath() inside the handlers
// behave as under `next start`, instead of being mocked.
import { createRequestStoreForAPI as createRequestStore } from "next/dist/server/async-storage/request-store.js";
import { createWorkStore as createWork } from "next/dist/server/async-storage/work-store.js";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external.js";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external.js";

// Internal Next APIs: typed loosely on purpose, only what these tests pass.
const createWorkStore = createWork as unknown as (o: unknown) => unknown;
const createRequestStoreForAPI = createRequestStore as unknown as (...a: unknown[]) => unknown;

/**
 * Runs `fn` as Next runs a route handler or server action for `req`. Work scheduled with after() is
 * collected, never run: it happens after the answer and is not driven by the request's input.
 */
export async function inRequestScope<T>(req: NextRequest, fn: () => Promise<T>): Promise<T> {
  const workStore = createWorkStore({
    page: `${req.nextUrl.pathname}/route`,
    renderOpts: { experimental: {}, waitUntil: () => undefined, onClose: () => undefined },
    isPrefetchRequest: false,
    buildId: "hostile-input-test",
    previouslyRevalidatedTags: [],
  });
  const requestStore = createRequestStoreForAPI(
    req,
    req.nextUrl,
    { tags: [], expirationsByCacheKind: new Map() },
    undefined,
    undefined,
    undefined,
  );
  return workAsyncStorage.run(workStore as never, () => workUnitAsyncStorage.run(requestStore as never, fn));
}

/** A request to the dashboard's origin carrying the given session cookie. */
export function makeRequest(
  path: string,
  init: { method?: string; cookie?: string; headers?: Record<string, string>; body?: BodyInit } = {},
): NextRequest {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  return new NextRequest(new URL(path, "http://localhost:3000"), { method: init.method ?? "GET", headers, body: init.body });
}
