import { z } from "zod";

/**
 * An identifier as this product and Keycloak make them (cuid, UUID, client id, subject, correlation id):
 * 1–128 characters of letters, digits and `. _ : @ -`, starting with a letter or digit. Anything else —
 * quotes, spaces, NUL, markup — cannot be an id, so it is refused before any query runs.
 */
export const ZIdSchema = z
  .string({ error: "must be an id" })
  .max(128, { error: "must be an id of at most 128 characters" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, { error: "must be an id (letters, digits and . _ : @ -)" });
