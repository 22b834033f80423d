import { z } from "zod";
import { AppError } from "../../errors";

// Forms and query strings send "" for an unset field; treat it as absent rather than as a filter.
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

const text = (max: number) => z.preprocess(blankToUndefined, z.string().trim().min(1).max(max).optional());

const time = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z.coerce.date({ error: `${label} must be a date-time such as 2026-11-28T10:00:00Z` }).optional(),
  );

/** Fields every audit query accepts: exact filters, a half-open time range [from, to) and free text. */
export const ZAuditFilterFields = {
  subject: text(256),
  actor: text(256),
  action: text(128),
  outcome: z.preprocess(
    blankToUndefined,
    z.enum(["success", "failure", "refused", "pending"], { error: "outcome must be success, failure, refused or pending" }).optional(),
  ),
  taskId: text(128),
  correlationId: text(128),
  mechanism: text(64),
  from: time("from"),
  to: time("to"),
  q: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
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
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
  throw new AppError("BadInput", `Invalid audit query: ${problems.join("; ")}`, { problems });
}
