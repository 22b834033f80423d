import type { z } from "zod";
import { AppError } from "../errors";
import { findHostileValue } from "./find-hostile-value";
import { toBadInput } from "./to-bad-input";

/**
 * The one validation at the edge (actions, route params): refuses hostile values whatever the schema says
 * (control characters, malformed Unicode, overlong or deeply nested input), then the schema. Failure is
 * BadInput naming the field; services behind the edge take the typed result and never parse again.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const hostile = findHostileValue(raw);
  if (hostile) {
    const text = `${hostile.field}: ${hostile.field} ${hostile.message}`;
    throw new AppError("BadInput", text, { field: hostile.field, problems: [text] });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw toBadInput(parsed.error);
  return parsed.data;
}
