import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppPasswordStore } from "./app-passwords";
import type { TIdentity } from "./authenticate-request";
import { sendOcs } from "./nextcloud-responses";
import { ocsFormat } from "./ocs-handler";
import { STAND_IN_NOTICE } from "./stand-in-notice";

const UID = /^[A-Za-z0-9_.@-]{1,64}$/;

/** Which Login Flow v2 / Devices & sessions route a path is, with or without `/index.php`. */
export function matchLoginFlowRoute(
  pathname: string,
):
  | { kind: "start" }
  | { kind: "poll" }
  | { kind: "login-page"; loginToken: string }
  | { kind: "devices-page" }
  | { kind: "devices-revoke" }
  | null {
  const p = pathname.replace(/^\/index\.php/, "");
  if (p === "/login/v2") return { kind: "start" };
  if (p === "/login/v2/poll") return { kind: "poll" };
  const page = /^\/login\/v2\/flow\/([a-f0-9]{16,128})$/.exec(p);
  if (page?.[1]) return { kind: "login-page", loginToken: page[1] };
  if (p === "/settings/user/security") return { kind: "devices-page" };
  if (p === "/settings/user/security/revoke") return { kind: "devices-revoke" };
  return null;
}

/** `DELETE /ocs/v{1,2}.php/core/apppassword`: the route a client uses to delete its own app password. */
export function matchAppPasswordRoute(pathname: string): 1 | 2 | null {
  const m = /^\/ocs\/v([12])\.php\/core\/apppassword\/?$/.exec(pathname);
  return m ? (m[1] === "1" ? 1 : 2) : null;
}

/**
 * Login Flow v2 as Nextcloud serves it (the stand-in's copy, not a real Nextcloud):
 * - `POST /index.php/login/v2` → `{ poll: { token, endpoint }, login }`; the device is named after the User-Agent;
 * - `GET <login>` → the login/approve page; the stand-in has no passwords of its own (people sign in to a
 *   real Nextcloud through Keycloak), so the page asks which account to sign in as, then "Grant access";
 * - `POST /index.php/login/v2/poll` with `token=<poll token>` → 404 until approved, then 200
 *   `{ server, loginName, appPassword }` exactly once.
 * Also the "Devices & sessions" list (`/index.php/settings/user/security?user=<uid>`), whose Revoke button
 * deletes an app password like Nextcloud's settings page does.
 */
export async function handleLoginFlow(
  req: IncomingMessage,
  res: ServerResponse,
  route: NonNullable<ReturnType<typeof matchLoginFlowRoute>>,
  deps: { baseUrl: string; appPasswords: AppPasswordStore; loginUser: (uid: string) => void },
): Promise<number> {
  const { appPasswords } = deps;
  switch (route.kind) {
    case "start": {
      if (req.method !== "POST") return text(res, 405, "Method not allowed");
      const clientName = String(req.headers["user-agent"] ?? "unknown client").slice(0, 120);
      const { pollToken, loginToken } = appPasswords.startFlow(clientName);
      return json(res, 200, {
        poll: { token: pollToken, endpoint: `${deps.baseUrl}/index.php/login/v2/poll` },
        login: `${deps.baseUrl}/index.php/login/v2/flow/${loginToken}`,
      });
    }
    case "poll": {
      if (req.method !== "POST") return text(res, 405, "Method not allowed");
      const form = new URLSearchParams(await readBody(req));
      const result = appPasswords.poll(form.get("token") ?? "");
      if (!result) return json(res, 404, []);
      return json(res, 200, { server: deps.baseUrl, loginName: result.loginName, appPassword: result.appPassword });
    }
    case "login-page": {
      const flow = appPasswords.openFlowByLoginToken(route.loginToken);
      if (!flow)
        return html(res, 404, "Token expired", "<p>The login flow is unknown, already used or expired. Start again from the app.</p>");
      if (req.method === "GET") {
        return html(
          res,
          200,
          "Account access",
          `<p>You are about to grant <strong>${escapeHtml(flow.clientName)}</strong> access to your Nextcloud account.</p>
<form method="post">
  <label for="user">Sign in as (Nextcloud account)</label>
  <input id="user" name="user" autocomplete="username" required pattern="[A-Za-z0-9_.@-]{1,64}">
  <button type="submit">Grant access</button>
</form>`,
        );
      }
      if (req.method !== "POST") return text(res, 405, "Method not allowed");
      const uid = new URLSearchParams(await readBody(req)).get("user") ?? "";
      if (!UID.test(uid)) return html(res, 400, "Account access", "<p>Enter a Nextcloud account name.</p>");
      deps.loginUser(uid);
      if (!appPasswords.approve(route.loginToken, uid)) return html(res, 404, "Token expired", "<p>The login flow expired meanwhile.</p>");
      return html(
        res,
        200,
        "Account connected",
        `<p>Account <strong>${escapeHtml(uid)}</strong> connected. You can close this window and return to the app.</p>`,
      );
    }
    case "devices-page": {
      const uid = new URL(req.url ?? "/", "http://stand-in.invalid").searchParams.get("user") ?? "";
      if (!UID.test(uid))
        return html(
          res,
          400,
          "Devices & sessions",
          '<form><label for="user">Account</label><input id="user" name="user"><button>Show</button></form>',
        );
      const rows = appPasswords
        .listDevices(uid)
        .map(
          (
            d,
          ) => `<li data-device-id="${escapeHtml(d.id)}">${escapeHtml(d.name)} — created ${escapeHtml(d.createdAt)}, last activity ${escapeHtml(d.lastActivity ?? "never")}
  <form method="post" action="/index.php/settings/user/security/revoke"><input type="hidden" name="user" value="${escapeHtml(uid)}"><input type="hidden" name="id" value="${escapeHtml(d.id)}"><button type="submit">Revoke</button></form></li>`,
        )
        .join("\n");
      return html(
        res,
        200,
        "Devices & sessions",
        `<p>Account ${escapeHtml(uid)}</p><ul aria-label="Devices">${rows || "<li>No app passwords.</li>"}</ul>`,
      );
    }
    case "devices-revoke": {
      if (req.method !== "POST") return text(res, 405, "Method not allowed");
      const form = new URLSearchParams(await readBody(req));
      const uid = form.get("user") ?? "";
      const removed = appPasswords.deleteDevice(form.get("id") ?? "", uid);
      res.writeHead(303, { Location: `/index.php/settings/user/security?user=${encodeURIComponent(uid)}&removed=${removed ? 1 : 0}` });
      res.end();
      return 303;
    }
  }
}

/**
 * `DELETE /ocs/v2.php/core/apppassword`: deletes the app password the request authenticated with (200);
 * any other credential is refused with 403, as Nextcloud does for a session that is not an app token.
 */
export function handleDeleteAppPassword(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  version: 1 | 2,
  identity: TIdentity,
  appPasswords: AppPasswordStore,
): number {
  const format = ocsFormat(req, url);
  if (req.method !== "DELETE") {
    sendOcs(res, { format, httpStatus: 405, ok: false, statusCode: 405, message: "Method not allowed", data: [] });
    return 405;
  }
  if (identity.auth !== "app-password" || !identity.deviceId) {
    sendOcs(res, {
      format,
      httpStatus: 403,
      ok: false,
      statusCode: 403,
      message: "The request was not authenticated with an app password",
      data: [],
    });
    return 403;
  }
  appPasswords.deleteDevice(identity.deviceId);
  sendOcs(res, { format, httpStatus: 200, ok: true, statusCode: version === 2 ? 200 : 100, message: "OK", data: [] });
  return 200;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function json(res: ServerResponse, status: number, body: unknown): number {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
  return status;
}

function text(res: ServerResponse, status: number, body: string): number {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(body);
  return status;
}

function html(res: ServerResponse, status: number, title: string, body: string): number {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — Nextcloud stand-in</title></head>
<body><p role="note"><strong>${escapeHtml(STAND_IN_NOTICE)}</strong></p><h1>${escapeHtml(title)}</h1>
${body}</body></html>`);
  return status;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
