// Plain JavaScript shared by the verifier's main thread and its worker threads (see canonical-core.mjs).
import { hash } from "node:crypto";
import { canonicalizeEvent } from "./canonical-core.mjs";

/**
 * The columns the chain walk reads through `COPY (...) TO STDOUT` (text format): the four the links need
 * first, so the main thread finds them without splitting the whole line, then the rest of the content.
 * `at` is rendered by PostgreSQL exactly as the hash covers it (Date#toISOString form).
 */
export const CHAIN_COPY_SELECT = `e.seq, to_char(e."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), e."prevHash", e.hash,
  e.actor, e."actorType", e.subject, e."actChain", e.action, e.resource, e.outcome, e."errorCode", e."taskId",
  e."correlationId", e.mechanism, e.details`;

const ESCAPES = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

// A field of COPY's text format: \N is NULL; control characters and the backslash come escaped.
function field(raw) {
  if (raw === "\\N") return null;
  if (raw.indexOf("\\") < 0) return raw;
  return raw.replace(/\\(.)/g, (_m, c) => ESCAPES[c] ?? c);
}

const json = (raw) => {
  const text = field(raw);
  return text === null ? null : JSON.parse(text);
};

/**
 * Checks every row of a block of COPY lines (complete lines, CHAIN_COPY_SELECT's columns) against its own
 * stored hash. Returns the seq (decimal text) of the first row whose content does not hash to its stored
 * hash, or null when all do. Links between rows are the caller's part.
 */
export function firstAlteredSeq(text) {
  let pos = 0;
  const end = text.length;
  while (pos < end) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = end;
    const f = text.slice(pos, nl).split("\t");
    pos = nl + 1;
    const content = canonicalizeEvent({
      seq: f[0],
      at: f[1],
      prevHash: f[2],
      actor: field(f[4]),
      actorType: field(f[5]),
      subject: field(f[6]),
      actChain: json(f[7]),
      action: field(f[8]),
      resource: field(f[9]),
      outcome: field(f[10]),
      errorCode: field(f[11]),
      taskId: field(f[12]),
      correlationId: field(f[13]),
      mechanism: field(f[14]),
      details: json(f[15]),
    });
    if (hash("sha256", content, "hex") !== f[3]) return f[0];
  }
  return null;
}
