import "server-only";
import { findHostileValue } from "@/lib/validation/find-hostile-value";
import { ZIdSchema } from "@/lib/validation/z-id-schema";

const ACTIONS = new Set(["signin", "signout", "callback", "session", "csrf", "providers", "error", "_log", "verify-request"]);
const CALLBACK_URL_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];
const MAX_BODY_BYTES = 32_768;

// next-auth writes these into a Location header as they are: anything but printable ASCII makes it throw (500).
const HEADER_SAFE = /^[\x21-\x7E]+$/;
const ERROR_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

// What next-auth accepts as a callback URL without failing: a path on this site, or an absolute http(s) URL
// (ours only, here). Anything else makes next-auth answer 500 ("server configuration"), so it is refused.
function isCallbackUrl(value: string, base: string): boolean {
  if (!HEADER_SAFE.test(value)) return false;
  if (value.startsWith("/")) return !value.startsWith("//") && !value.startsWith("/\\");
  try {
    return /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

/**
 * Input checks in front of next-auth's handler, which answers 500 to some malformed input (an invalid
 * callback URL, a broken JSON body): known action and provider only, no control characters or overlong
 * values anywhere in the query, body or callback-URL cookie, callback URLs on this site. Returns the first
 * bad field with a message, or null. Reads a clone of the request, so next-auth still gets the body.
 */
export async function findBadAuthInput(
  req: Request,
  nextauth: string[] | undefined,
  base: string,
  cookies: Map<string, string>,
): Promise<{ field: string; message: string } | null> {
  const segments = nextauth ?? [];
  if (segments.length < 1 || segments.length > 2 || !ACTIONS.has(segments[0]!))
    return { field: "action", message: "must be a sign-in action" };
  if (segments[1] !== undefined && !ZIdSchema.safeParse(segments[1]).success)
    return { field: "provider", message: "must be a provider id" };
  const url = new URL(req.url);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (k in query) return { field: k, message: "must be given once" };
    query[k] = v;
  }
  let body: unknown = {};
  if (req.method === "POST") {
    if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return { field: "body", message: "is too large" };
    const type = req.headers.get("content-type") ?? "";
    const text = await req.clone().text();
    if (text.length > MAX_BODY_BYTES) return { field: "body", message: "is too large" };
    if (type.includes("application/json")) {
      try {
        body = JSON.parse(text || "null") ?? {};
      } catch {
        return { field: "body", message: "must be valid JSON" };
      }
      if (typeof body !== "object" || Array.isArray(body)) return { field: "body", message: "must be a JSON object" };
    } else if (type.includes("application/x-www-form-urlencoded")) {
      body = Object.fromEntries(new URLSearchParams(text));
    }
  }
  const hostile = findHostileValue(query, { lineBreaks: false }) ?? findHostileValue(body, { lineBreaks: false });
  if (hostile) return hostile;
  for (const source of [query, body as Record<string, unknown>]) {
    if (source.error !== undefined && (typeof source.error !== "string" || !ERROR_CODE.test(source.error)))
      return { field: "error", message: "must be an error code" };
    const callbackUrl = source.callbackUrl;
    if (callbackUrl !== undefined && (typeof callbackUrl !== "string" || !isCallbackUrl(callbackUrl, base)))
      return { field: "callbackUrl", message: "must be a page of this site" };
  }
  for (const name of CALLBACK_URL_COOKIES) {
    const value = cookies.get(name);
    if (value !== undefined && (findHostileValue(value, { lineBreaks: false }) || !isCallbackUrl(value, base)))
      return { field: name, message: "must be a page of this site" };
  }
  return null;
}
