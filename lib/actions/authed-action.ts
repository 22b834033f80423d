import "server-only";
import type { z } from "zod";
import { randomUUID } from "node:crypto";
import { requireCtx } from "../auth/current-user";
import { AppError, userMessage } from "../errors";
import { log } from "../logger";
import type { TCtx } from "../services/context";
import { findHostileValue } from "../validation/find-hostile-value";
import { toBadInput } from "../validation/to-bad-input";

export type TActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code: string };

/**
 * Wraps a server action: validates input with zod, puts the signed-in person in `ctx`, and turns every
 * failure into a small, safe result (typed errors → their message; anything else → a generic message
 * with a logged correlation id). Bad input — anything the schema refuses, and whatever the schema says,
 * control characters, malformed Unicode, overlong or deeply nested values — is `{ ok: false, code:
 * "BadInput", error: "<field>: …" }`, and nothing changes because the service is never called.
 */
export function authedAction<S extends z.ZodType, R>(
  schema: S,
  handler: (ctx: TCtx & { loginSessionId: string }, input: z.infer<S>) => Promise<R>,
) {
  return async (raw: unknown): Promise<TActionResult<R>> => {
    let correlationId: string = randomUUID();
    try {
      const ctx = await requireCtx();
      correlationId = ctx.correlationId;
      const hostile = findHostileValue(raw);
      if (hostile) {
        const text = `${hostile.field}: ${hostile.field} ${hostile.message}`;
        throw new AppError("BadInput", text, { field: hostile.field, problems: [text] });
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw toBadInput(parsed.error);
      return { ok: true, data: await handler(ctx, parsed.data) };
    } catch (error) {
      if (!(error instanceof AppError)) log.error("action failed", { error, correlationId });
      return { ok: false, error: userMessage(error, correlationId), code: error instanceof AppError ? error.code : "Internal" };
    }
  };
}
