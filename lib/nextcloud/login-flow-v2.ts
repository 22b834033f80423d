import "server-only";
import { z } from "zod";
import { env } from "../env";
import { AppError } from "../errors";
import { asAppPassword, type TAppPasswordCredential } from "./app-password-types";

const TIMEOUT_MS = 10_000;

const ZStartAnswerSchema = z.object({
  poll: z.object({ token: z.string().min(16).max(512), endpoint: z.url() }),
  login: z.url(),
});

const ZPollAnswerSchema = z.object({
  server: z.string().max(2048),
  loginName: z.string().min(1).max(256),
  appPassword: z.string().min(16).max(512),
});

export type TStartedLoginFlow = { pollToken: string; pollPath: string; loginUrl: string };

export type TLoginFlowPoll = { state: "waiting" } | { state: "done"; server: string; credential: TAppPasswordCredential };

/**
 * Starts Nextcloud's Login Flow v2 (`POST /index.php/login/v2`): Nextcloud answers with the page the
 * person must open (`login`) and the poll token. `clientName` is sent as User-Agent, which Nextcloud shows
 * as the device name in "Devices & sessions". The poll token is a secret: whoever polls with it first
 * gets the app password.
 */
export async function startLoginFlowV2(clientName: string): Promise<TStartedLoginFlow> {
  const res = await send(
    nextcloudPath("/index.php/login/v2"),
    { method: "POST", headers: { "user-agent": clientName, accept: "application/json" } },
    "start",
  );
  if (res.status !== 200) throw new AppError("ProviderError", `Nextcloud's Login Flow v2 start answered HTTP ${res.status}`);
  const parsed = ZStartAnswerSchema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw garbage("start", parsed.error);
  const loginUrl = publicLoginUrl(new URL(parsed.data.login));
  if (loginUrl.protocol !== "https:" && loginUrl.protocol !== "http:")
    throw new AppError("ProviderError", "Nextcloud's Login Flow v2 login link is not a web address");
  return { pollToken: parsed.data.poll.token, pollPath: new URL(parsed.data.poll.endpoint).pathname, loginUrl: loginUrl.toString() };
}

/**
 * One poll (`POST <endpoint>` with `token=`). Nextcloud answers 404 until the person granted access, then
 * 200 with `{ server, loginName, appPassword }` exactly once. The poll always goes to NEXTCLOUD_URL's
 * origin (with the endpoint's path): the token never leaves for another host, and behind a proxy the
 * address Nextcloud advertises is often not the one this server reaches it at. An answer that is neither
 * is an error that names what was wrong, never echoing the body (it may hold a password).
 */
export async function pollLoginFlowV2(flow: { pollToken: string; pollPath: string }): Promise<TLoginFlowPoll> {
  if (!/\/login\/v2\/poll$/.test(flow.pollPath)) {
    throw new AppError("ProviderError", "Nextcloud's Login Flow v2 poll endpoint is not …/login/v2/poll");
  }
  const res = await send(
    nextcloudPath(flow.pollPath),
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ token: flow.pollToken }).toString(),
    },
    "poll",
  );
  if (res.status === 404) return { state: "waiting" };
  if (res.status !== 200) throw new AppError("ProviderError", `Nextcloud's Login Flow v2 poll answered HTTP ${res.status}`);
  const parsed = ZPollAnswerSchema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw garbage("poll", parsed.error);
  return {
    state: "done",
    server: parsed.data.server,
    credential: { loginName: parsed.data.loginName, appPassword: asAppPassword(parsed.data.appPassword) },
  };
}

/**
 * Nextcloud builds the login link from the address this server called it at; in containers that name
 * (http://nextcloud) means nothing to a browser, so with NEXTCLOUD_PUBLIC_URL set the link keeps its path
 * and gets the public origin.
 */
function publicLoginUrl(login: URL): URL {
  const pub = env().NEXTCLOUD_PUBLIC_URL;
  if (!pub || login.origin !== new URL(env().NEXTCLOUD_URL).origin) return login;
  const p = new URL(pub);
  return new URL(login.pathname + login.search, p.origin);
}

/** A URL on the configured Nextcloud; Nextcloud may live below a path (NEXTCLOUD_URL=https://host/nextcloud). */
export function nextcloudPath(path: string): URL {
  const base = new URL(env().NEXTCLOUD_URL);
  const basePath = base.pathname.replace(/\/$/, "");
  const rel = basePath && path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : path;
  const url = new URL(basePath + rel, base);
  if (url.origin !== base.origin) throw new AppError("BadInput", "Nextcloud path leaves the Nextcloud origin");
  return url;
}

async function send(url: URL, init: RequestInit, step: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new AppError(
      "ProviderError",
      `Nextcloud unreachable during Login Flow v2 ${step}: ${err instanceof Error ? err.message : "network error"}`,
    );
  }
}

function garbage(step: string, error: z.ZodError): AppError {
  const fields = [...new Set(error.issues.map((i) => i.path.join(".") || "body"))].join(", ");
  return new AppError(
    "ProviderError",
    `Nextcloud's Login Flow v2 ${step} answered 200 with something that is not a Login Flow v2 answer (wrong or missing: ${fields})`,
  );
}
