import { z } from "zod";

/** The longest string any input of this product may carry before its own, tighter limit applies. */
export const MAX_INPUT_CHARS = 4_096;

// Control characters (C0, DEL, C1), bidirectional overrides and isolates (they make text display differently
// from what it is), the non-characters U+FFFE/U+FFFF, and lone UTF-16 surrogates (not valid Unicode; the
// database cannot store them). PostgreSQL refuses NUL in text outright.
const FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A string that is safe to compare, store, log and show: at most MAX_INPUT_CHARS, no control or bidi-override
 * characters, well-formed Unicode. Chain `.trim().min().max()` for each field's own bounds; other Unicode
 * (accents, emoji, other scripts, zero-width joiners) is ordinary text.
 */
export const ZSafeTextSchema = z
  .string({ error: "must be text" })
  .max(MAX_INPUT_CHARS, { error: `must be at most ${MAX_INPUT_CHARS} characters` })
  .refine((s) => !FORBIDDEN.test(s), { error: "must not contain control characters" })
  .refine((s) => !LONE_SURROGATE.test(s), { error: "must be well-formed Unicode text" });
