import type { z } from "zod";
import { AppError } from "../errors";
import { toBadInput } from "./to-bad-input";

/**
 * The edge of every GET route: reads only the parameters the schema names (others are ignored, as a
 * browser's cache-busters may be), refuses a parameter given twice (an array where one value belongs), then
 * validates each with its field's bounds. Bad input is BadInput naming the field; nothing behind it runs.
 */
export function parseSearchParams<S extends z.ZodObject>(schema: S, params: URLSearchParams): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const values = params.getAll(key);
    if (values.length > 1) {
      const text = `${key}: ${key} must be given once`;
      throw new AppError("BadInput", text, { field: key, problems: [text] });
    }
    if (values.length === 1) raw[key] = values[0]!;
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw toBadInput(result.error);
  return result.data;
}
