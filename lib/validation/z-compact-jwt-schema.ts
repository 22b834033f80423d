import { z } from "zod";

/**
 * The shape of a signed JWT in compact form (three base64url parts, at most 16 KiB). Only the shape:
 * the signature and claims are for the verifier; this keeps everything else away from it.
 */
export const ZCompactJwtSchema = z
  .string({ error: "must be a signed JWT" })
  .max(16_384, { error: "must be a signed JWT of at most 16384 characters" })
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { error: "must be a signed JWT" });
