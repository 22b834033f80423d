import { z } from "zod";
import { toBadInput } from "../../validation/to-bad-input";
import { ZDateInRangeSchema } from "../../validation/z-date-in-range-schema";
import { ZIdSchema } from "../../validation/z-id-schema";
import { ZSafeTextSchema } from "../../validation/z-safe-text-schema";

// Forms and query strings send "" for an unset field; treat it as absent rather than as a filter.
const blankToUndefined = (v: unknown) => (v === "" || v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

const text = (max: number) =>
  z.preprocess(
    blankToUndefined,
    ZSafeTextSchema.trim()
      .max(max, { error: `must be at most ${max} characters` })
      .optional(),
  );

const id = z.preprocess((v) => (typeof v === "string" ? blankToUndefined(v.trim()) : blankToUndefined(v)), ZIdSchema.optional());

const time = z.preprocess(blankToUndefined, ZDateInRangeSchema.optional());

/** Fields every audit query accepts: exact filters, a half-open time range [from, to) and free text. */
export const ZAuditFilterFields = {
  subject: id,
  actor: text(256),
  action: text(128),
  outcome: z.preprocess(
    blankToUndefined,
    z.enum(["success", "failure", "refused", "pending"], { error: "outcome must be success, failure, refused or pending" }).optional(),
  ),
  taskId: id,
  correlationId: id,
  mechanism: text(64),
  from: time,
  to: time,
  q: z.preprocess(
    blankToUndefined,
    ZSafeTextSchema.trim()
      .min(3, { error: "search text must be at least 3 characters" })
      .max(200, { error: "search text must be at most 200 characters" })
      .optional(),
  ),
};

/** Cross-field rule shared by every audit schema (zod objects with refinements cannot be extended). */
export function refineTimeRange(v: { from?: Date; to?: Date }, ctx: z.RefinementCtx): void {
  if (v.from && v.to && v.from >= v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "to must be after from" });
}

export const ZAuditFilterSchema = z.object(ZAuditFilterFields).strict().superRefine(refineTimeRange);
export type TAuditFilter = z.infer<typeof ZAuditFilterSchema>;

/** Validates service input; any problem becomes one BadInput naming each field, and nothing runs. */
export function parseAuditInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw toBadInput(result.error, "Invalid audit query: ");
}
