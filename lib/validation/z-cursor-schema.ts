import { z } from "zod";

/**
 * The outer shape of every opaque page token: 1–64 base64url characters. What is inside is checked by the
 * token's own decoder (e.g. decodeAuditCursor); this only keeps anything else away from it.
 */
export const ZCursorSchema = z
  .string({ error: "must be a page token from a previous answer" })
  .min(1, { error: "must be a page token from a previous answer" })
  .max(64, { error: "must be a page token from a previous answer" })
  .regex(/^[A-Za-z0-9_-]+$/, { error: "must be a page token from a previous answer" });
