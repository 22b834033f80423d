// Plain JavaScript (no TypeScript, no imports but node:) so the chain-hash worker threads can load it in any
// runtime: tsx, Vitest, plain Node. canonical-event.ts re-exports it with types; this is the one copy.

/** Bumped only if the serialisation ever changes; old rows keep verifying under the version they carry. */
const CANONICAL_VERSION = "ncdd-audit-v1";

/** A time as the hash covers it: ISO-8601 UTC with milliseconds (strings are taken as already in that form). */
export const isoTime = (at) => (typeof at === "string" ? at : at.toISOString());

// Keys sorted at every depth, so the JSON column (which PostgreSQL reorders) serialises identically on read.
// Written with plain loops (no entries/filter/map arrays): it runs for every row a verification reads.
export function stableJson(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return quote(value);
  if (typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i += 1) out += (i ? "," : "") + stableJson(value[i]);
    return `${out}]`;
  }
  // Default sort orders strings by UTF-16 code units, exactly as `a < b` does.
  const keys = Object.keys(value).sort();
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = value[k];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${quote(k)}:${stableJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

// A JSON string literal; text with nothing JSON must escape (quote, backslash, control characters,
// surrogates) is quoted as it is, which is much cheaper than a call to JSON.stringify per field.
function quote(s) {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/**
 * The one serialisation of an event that its hash covers: fixed field order, ISO-8601 time with
 * milliseconds, explicit nulls, nested JSON with sorted keys. Writers and the verifier both use it, so a
 * row verifies exactly when none of its stored columns changed.
 */
export function canonicalizeEvent(e) {
  // Hand-unrolled stableJson of the object below (keys in sorted order, undefined keys left out): the
  // same bytes, several times faster, which is what lets a million rows verify in seconds.
  let out = "{";
  out = add(out, "actChain", e.actChain ?? null);
  out = add(out, "action", e.action);
  out = add(out, "actor", e.actor);
  out = add(out, "actorType", e.actorType);
  out = add(out, "at", isoTime(e.at));
  out = add(out, "correlationId", e.correlationId);
  out = add(out, "details", e.details ?? null);
  out = add(out, "errorCode", e.errorCode);
  out = add(out, "mechanism", e.mechanism);
  out = add(out, "outcome", e.outcome);
  out = add(out, "prevHash", e.prevHash);
  out = add(out, "resource", e.resource);
  out = add(out, "seq", e.seq.toString());
  out = add(out, "subject", e.subject);
  out = add(out, "taskId", e.taskId);
  out = add(out, "v", CANONICAL_VERSION);
  return `${out}}`;
}

// One `"key":value` member after `out` (which is "{" before the first); undefined values are left out.
function add(out, key, v) {
  if (v === undefined) return out;
  return `${out}${out.length > 1 ? "," : ""}"${key}":${typeof v === "string" ? quote(v) : stableJson(v)}`;
}

/**
 * The canonical form cut around the three values a writer learns only under the chain lock: the time, the
 * previous hash and the seq. `c0 + at + c1 + prevHash + c2 + seq + c3` is exactly canonicalizeEvent(e)
 * (a test holds them equal): the database's audit_append() joins and hashes the pieces, so one round trip
 * appends rows that the verifier here recomputes byte for byte. Those three values never need JSON escaping.
 */
export function canonicalizeEventParts(e) {
  return {
    c0: `{"actChain":${stableJson(e.actChain ?? null)}${member("action", e.action)}${member("actor", e.actor)}${member("actorType", e.actorType)},"at":"`,
    c1: `"${member("correlationId", e.correlationId)}${member("details", e.details ?? null)}${member("errorCode", e.errorCode)}${member("mechanism", e.mechanism)}${member("outcome", e.outcome)},"prevHash":"`,
    c2: `"${member("resource", e.resource)},"seq":"`,
    c3: `"${member("subject", e.subject)}${member("taskId", e.taskId)},"v":${quote(CANONICAL_VERSION)}}`,
  };
}

// `,"key":value`, or nothing for an undefined value (as add() leaves it out).
function member(key, v) {
  if (v === undefined) return "";
  return `,"${key}":${typeof v === "string" ? quote(v) : stableJson(v)}`;
}

/** The reference form canonicalizeEvent must equal (kept for the equivalence test). */
export function canonicalizeEventReference(e) {
  return stableJson({
    v: CANONICAL_VERSION,
    seq: e.seq.toString(),
    at: isoTime(e.at),
    actor: e.actor,
    actorType: e.actorType,
    subject: e.subject,
    actChain: e.actChain ?? null,
    action: e.action,
    resource: e.resource,
    outcome: e.outcome,
    errorCode: e.errorCode,
    taskId: e.taskId,
    correlationId: e.correlationId,
    mechanism: e.mechanism,
    details: e.details ?? null,
    prevHash: e.prevHash,
  });
}
