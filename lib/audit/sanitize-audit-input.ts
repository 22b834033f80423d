import { redact } from "../logger";
import type { TAuditInput } from "./types";

/** Largest `details` we keep, serialised; bigger payloads are cut so one caller cannot bloat the trail. */
const MAX_DETAILS_CHARS = 16_384;
const MAX_FIELD_CHARS = 2_048;

// Beyond the logger's JWT mask: opaque tokens in query strings and Authorization-style values.
const TOKEN_PARAM = /\b(access_token|refresh_token|id_token|subject_token|actor_token|token|client_secret|password|code)=([^&\s#"']+)/gi;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
// PostgreSQL text and jsonb refuse NUL and unpaired surrogates; drop them so the insert cannot fail.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function scrubString(s: string): string {
  return (redact(s) as string)
    .replace(TOKEN_PARAM, (_m, k: string) => `${k}=[redacted]`)
    .replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} [redacted]`)
    .replace(UNSTORABLE, "\uFFFD");
}

function scrubDeep(value: unknown): unknown {
  if (typeof value === "string") return scrubString(value);
  if (Array.isArray(value)) return value.map(scrubDeep);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubString(k), scrubDeep(v)]));
  }
  return value;
}

// JSON round trip first: what is hashed must equal what PostgreSQL hands back (no Dates, no undefined).
function toJsonValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

function scrubJson(value: unknown): unknown {
  const cleaned = scrubDeep(redact(toJsonValue(value)));
  if (cleaned === null) return null;
  const text = JSON.stringify(cleaned);
  if (text.length <= MAX_DETAILS_CHARS) return cleaned;
  return { truncated: true, originalChars: text.length, preview: text.slice(0, 2_000) };
}

function field(s: string, max = MAX_FIELD_CHARS): string {
  return scrubString(s).slice(0, max);
}

function optional(s: string | null | undefined): string | null {
  return s === undefined || s === null ? null : field(s);
}

export type TSanitizedAuditInput = {
  actor: string;
  actorType: string;
  subject: string | null;
  actChain: unknown;
  action: string;
  resource: string | null;
  outcome: string;
  errorCode: string | null;
  taskId: string | null;
  correlationId: string;
  mechanism: string | null;
  details: unknown;
};

/**
 * Makes an event safe to store forever: every string and the whole `details`/`actChain` tree pass
 * through the logger's redact() plus token-parameter masking, so no token material can reach the trail
 * even if a caller passes it by mistake. The result is plain JSON, so its hash is reproducible on read.
 */
export function sanitizeAuditInput(input: TAuditInput): TSanitizedAuditInput {
  return {
    actor: field(input.actor, 256),
    actorType: field(input.actorType, 32),
    subject: optional(input.subject),
    actChain: scrubJson(input.actChain),
    action: field(input.action, 128),
    resource: optional(input.resource),
    outcome: field(input.outcome, 32),
    errorCode: optional(input.errorCode),
    taskId: optional(input.taskId),
    correlationId: field(input.correlationId, 128),
    mechanism: optional(input.mechanism),
    details: scrubJson(input.details),
  };
}
