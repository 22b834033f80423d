import type { ServerResponse } from "node:http";

/**
 * The challenge a 401 carries. Real Nextcloud answers `Basic realm="Nextcloud"`; user_oidc's bearer check
 * adds nothing of its own, so the Bearer challenge (RFC 6750, with the reason) is the stand-in's addition to
 * help tests and humans see why a token was refused.
 */
export function unauthorizedChallenges(description: string): string[] {
  const reason = description.replace(/["\\]/g, "'");
  return [
    `Bearer realm="Nextcloud stand-in", error="invalid_token", error_description="${reason}"`,
    'Basic realm="Nextcloud", charset="UTF-8"',
  ];
}

/** A Sabre/DAV error body as Nextcloud's WebDAV endpoint sends it. */
export function sendDavError(
  res: ServerResponse,
  status: number,
  exception: string,
  message: string,
  headers: Record<string, string | string[]> = {},
): void {
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n' +
    `  <s:exception>${escapeXml(exception)}</s:exception>\n` +
    `  <s:message>${escapeXml(message)}</s:message>\n` +
    "</d:error>\n";
  res.writeHead(status, { ...headers, "Content-Type": "application/xml; charset=utf-8" });
  res.end(body);
}

export interface TOcsReply {
  format: "json" | "xml";
  httpStatus: number;
  ok: boolean;
  /** OCS status code; v1 and v2 differ for success (100 vs 200). */
  statusCode: number;
  message: string;
  data: unknown;
  headers?: Record<string, string | string[]>;
}

/** Writes an OCS envelope (`ocs.meta` + `ocs.data`) in JSON or XML, like Nextcloud's OCS controller. */
export function sendOcs(res: ServerResponse, reply: TOcsReply): void {
  const envelope = {
    ocs: {
      meta: {
        status: reply.ok ? "ok" : "failure",
        statuscode: reply.statusCode,
        message: reply.message,
        totalitems: "",
        itemsperpage: "",
      },
      data: reply.data,
    },
  };
  const isJson = reply.format === "json";
  const body = isJson ? JSON.stringify(envelope) : `<?xml version="1.0"?>\n${toXml("ocs", envelope.ocs)}\n`;
  res.writeHead(reply.httpStatus, {
    ...(reply.headers ?? {}),
    "Content-Type": isJson ? "application/json; charset=utf-8" : "application/xml; charset=utf-8",
  });
  res.end(body);
}

function toXml(tag: string, value: unknown): string {
  if (Array.isArray(value)) return `<${tag}>${value.map((v) => toXml("element", v)).join("")}</${tag}>`;
  if (value !== null && typeof value === "object") {
    const inner = Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join("");
    return `<${tag}>${inner}</${tag}>`;
  }
  if (value === null || value === undefined) return `<${tag}/>`;
  return `<${tag}>${escapeXml(String(value as string | number | boolean))}</${tag}>`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
