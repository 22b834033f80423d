import type { z } from "zod";
import { AppError } from "../errors";

/** One zod issue as people read it: `field: field must …` (the field named first, "input" for the whole value). */
function describeIssue(issue: z.core.$ZodIssue): { field: string; text: string } {
  const field = issue.path.length ? issue.path.map(String).join(".") : "input";
  const message = issue.message.startsWith("must") ? `${field} ${issue.message}` : issue.message;
  return { field, text: `${field}: ${message}` };
}

/**
 * Turns a failed parse into the one error bad input becomes everywhere: BadInput whose message names each
 * field, with `details.field` (the first field) for JSON answers and `details.problems` for callers.
 */
export function toBadInput(error: z.ZodError, prefix = ""): AppError {
  const described = error.issues.map(describeIssue);
  const problems = described.map((d) => d.text);
  return new AppError("BadInput", `${prefix}${problems.join("; ")}`, { field: described[0]?.field ?? "input", problems });
}
