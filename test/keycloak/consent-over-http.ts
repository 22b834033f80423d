/**
 * Obtains a user's offline grant for the worker client without a browser: drives Keycloak's own HTML
 * login form and consent form over HTTP (fetch plus a tiny cookie jar), captures the redirect to the
 * callback, and redeems the code through lib/oauth exactly as the real callback does (state, PKCE and
 * nonce verified by openid-client). For tests and benches only; the credentials are the realm's local ones.
 */
import { buildConsentRequest } from "@/lib/oauth/build-consent-request";
import { redeemConsentCode, type TRedeemedConsent } from "@/lib/oauth/redeem-consent-code";

export const WORKER_REDIRECT_URI = "http://localhost:3000/grants/callback";

export const LOCAL_USERS = {
  alice: { username: "alice", password: "alice-local-only" },
  bob: { username: "bob", password: "bob-local-only" },
} as const;

/** Keycloak's cookies for one browser: passing the same jar to several flows keeps one SSO session. */
export class CookieJar {
  private cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** One browser step against Keycloak's pages: GET, or POST of a form, never following redirects, cookies kept in `jar`. */
function formSender(jar: CookieJar) {
  return async (url: string, form?: Record<string, string>) => {
    const res = await fetch(url, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: { cookie: jar.header(), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    jar.store(res);
    return res;
  };
}

const decodeEntities = (s: string) =>
  s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");

/** The action URL and hidden inputs of the first form in a page matching `formHint`. */
function parseForm(html: string, pageUrl: string, formHint: RegExp): { action: string; hidden: Record<string, string> } {
  const forms = html.match(/<form\b[\s\S]*?<\/form>/gi) ?? [];
  const form = forms.find((f) => formHint.test(f));
  if (!form) throw new Error(`Keycloak page has no form matching ${formHint}: ${summarize(html)}`);
  const action = form.match(/\baction="([^"]*)"/i)?.[1];
  if (!action) throw new Error("Keycloak form has no action");
  const hidden: Record<string, string> = {};
  for (const input of form.match(/<input\b[^>]*>/gi) ?? []) {
    if (!/type="hidden"/i.test(input)) continue;
    const name = input.match(/\bname="([^"]*)"/i)?.[1];
    if (name) hidden[name] = decodeEntities(input.match(/\bvalue="([^"]*)"/i)?.[1] ?? "");
  }
  return { action: new URL(decodeEntities(action), pageUrl).toString(), hidden };
}

function summarize(html: string): string {
  const error = html.match(/<span[^>]*(?:input-error|alert)[^>]*>([\s\S]*?)<\/span>/i)?.[1];
  const title = html.match(/<title>([\s\S]*?)<\/title>/i)?.[1];
  return (error ?? title ?? html.slice(0, 200)).replace(/\s+/g, " ").trim();
}

/**
 * Drives login + consent for `user` and returns the callback URL Keycloak redirected to (with `code`).
 * Exported for tests of the authorization step itself; most callers want obtainOfflineConsentOverHttp.
 */
export async function approveConsentOverHttp(
  authorizationUrl: URL,
  user: { username: string; password: string },
  redirectUri = WORKER_REDIRECT_URI,
  jar: CookieJar = new CookieJar(),
): Promise<URL> {
  const send = formSender(jar);

  let url = authorizationUrl.toString();
  let res = await send(url);
  let form: Record<string, string> | undefined;
  for (let step = 0; step < 12; step++) {
    if (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get("location")!, url).toString();
      if (location.startsWith(redirectUri)) {
        const callback = new URL(location);
        if (callback.searchParams.get("error")) {
          throw new Error(
            `Keycloak refused: ${callback.searchParams.get("error")} ${callback.searchParams.get("error_description") ?? ""}`,
          );
        }
        return callback;
      }
      url = location;
      res = await send(url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`Keycloak answered ${res.status}: ${summarize(html)}`);
    if (/id="kc-form-login"/.test(html)) {
      if (form && "username" in form) throw new Error(`Keycloak login failed for ${user.username}: ${summarize(html)}`);
      const f = parseForm(html, url, /id="kc-form-login"/);
      form = { ...f.hidden, username: user.username, password: user.password, credentialId: "" };
      url = f.action;
    } else if (/login-actions\/consent/.test(html)) {
      const f = parseForm(html, url, /login-actions\/consent/);
      form = { ...f.hidden, accept: "Yes" };
      url = f.action;
    } else {
      throw new Error(`Unexpected Keycloak page: ${summarize(html)}`);
    }
    res = await send(url, form);
  }
  throw new Error("Keycloak login did not reach the callback within 12 steps");
}

/**
 * A real offline grant for `user` and the worker client, with the given task scopes (e.g.
 * ["notes.read"]), redeemed through lib/oauth. The result holds tokens: keep it in the test process.
 */
export async function obtainOfflineConsentOverHttp(
  user: { username: string; password: string },
  taskScopes: string[] = ["notes.read"],
): Promise<TRedeemedConsent> {
  const { url, checks } = await buildConsentRequest({ taskScopes, redirectUri: WORKER_REDIRECT_URI });
  const callback = await approveConsentOverHttp(url, user, checks.redirectUri);
  return redeemConsentCode(callback, checks);
}

/**
 * Signs `user` in at `authorizationUrl` and returns what Keycloak's consent screen lists (page title and
 * the text of each item), without answering it: nothing is granted.
 */
export async function readConsentScreenOverHttp(
  authorizationUrl: URL,
  user: { username: string; password: string },
): Promise<{ title: string; items: string[] }> {
  const jar = new CookieJar();
  const send = formSender(jar);
  let url = authorizationUrl.toString();
  let res = await send(url);
  for (let step = 0; step < 12; step++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location")!, url).toString();
      res = await send(url);
      continue;
    }
    const html = await res.text();
    if (/id="kc-form-login"/.test(html)) {
      const f = parseForm(html, url, /id="kc-form-login"/);
      url = f.action;
      res = await send(url, { ...f.hidden, username: user.username, password: user.password, credentialId: "" });
      continue;
    }
    const list = html.match(/id="kc-oauth"[\s\S]*?<\/ul>/)?.[0];
    if (!list) throw new Error(`Expected Keycloak's consent screen: ${summarize(html)}`);
    const text = (s: string) =>
      decodeEntities(s.replace(/<[^>]*>/g, " "))
        .replace(/\s+/g, " ")
        .trim();
    return {
      title: text(html.match(/id="kc-page-title"[^>]*>([\s\S]*?)<\/h1>/)?.[1] ?? ""),
      items: [...list.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!)),
    };
  }
  throw new Error("Keycloak's consent screen did not appear within 12 steps");
}
