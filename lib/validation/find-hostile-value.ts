import { MAX_INPUT_CHARS } from "./z-safe-text-schema";

// Tab, line feed and carriage return are ordinary in free text (unless `lineBreaks: false`); no other control
// character is.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/;
const LINE_BREAK = /[\t\n\r]/;
const LONE_SURROGATE = /\p{Cs}/u;
const MAX_DEPTH = 6;
const MAX_ITEMS = 200;

/**
 * A bound every action input must meet whatever its own schema says, so a lax schema cannot let a value
 * reach the database that PostgreSQL would refuse (NUL) or that no form produces. Returns the first problem as
 * `{ field, message }` (field as a dotted path, "input" for the value itself), or null when the value is fine.
 * With `lineBreaks: false`, tabs and line breaks are refused too (values that may end up in a header).
 */
export function findHostileValue(
  value: unknown,
  options: { lineBreaks?: boolean } = {},
  path: string[] = [],
  depth = 0,
): { field: string; message: string } | null {
  const field = path.length ? path.join(".") : "input";
  if (typeof value === "string") {
    if (value.length > MAX_INPUT_CHARS) return { field, message: `must be at most ${MAX_INPUT_CHARS} characters` };
    if (CONTROL.test(value) || (options.lineBreaks === false && LINE_BREAK.test(value)))
      return { field, message: "must not contain control characters" };
    if (LONE_SURROGATE.test(value)) return { field, message: "must be well-formed Unicode text" };
    return null;
  }
  if (typeof value === "number") return Number.isFinite(value) ? null : { field, message: "must be a finite number" };
  if (value === null || value === undefined || typeof value === "boolean") return null;
  if (typeof value !== "object") return { field, message: "must be plain data" };
  if (depth >= MAX_DEPTH) return { field, message: "is nested too deeply" };
  if (typeof FormData !== "undefined" && value instanceof FormData) {
    for (const [k, v] of value.entries()) {
      if (typeof v !== "string") return { field: [...path, k].join("."), message: "must be text, not a file" };
      const problem = findHostileValue(k, options, [...path, "(name)"], depth + 1) ?? findHostileValue(v, options, [...path, k], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  // Dates, Maps, Sets, files… pass zod's object check with no keys at all; no action takes them.
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return { field, message: "must be plain data" };
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length > MAX_ITEMS) return { field, message: `must have at most ${MAX_ITEMS} entries` };
  for (const [k, v] of entries) {
    const problem = findHostileValue(k, options, [...path, "(name)"], depth + 1) ?? findHostileValue(v, options, [...path, k], depth + 1);
    if (problem) return problem;
  }
  return null;
}
