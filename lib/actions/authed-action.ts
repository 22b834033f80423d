import "server-only";
import type { z } from "zod";
import { randomUUID } from "node:crypto";
import { requireCtx } from "../auth/current-user";
import type { TRequestCtx } from "../auth/request-context";
import { AppError, userMessage } from "../errors";
import { log } from "../logger";
import { parseInput } from "../validation/parse-input";

export type TActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code: string };

/**
 * The one way to declare a server action: `export const xAction = authedAction(Schema, handler)`. It puts
 * the signed-in person in `ctx`, validates input once (parseInput) and hands the handler typed input;
 * every failure becomes a small, safe result (typed errors → their message; anything else → a generic
 * message with a logged correlation id). Bad input is `{ ok: false, code: "BadInput", error: "<field>: …" }`
 * and nothing changes because the handler is never called.
 */
export function authedAction<S extends z.ZodType, R>(schema: S, handler: (ctx: TRequestCtx, input: z.infer<S>) => Promise<R>) {
  return async (raw: z.input<S>): Promise<TActionResult<R>> => {
    let correlationId: string = randomUUID();
    try {
      const ctx = await requireCtx();
      correlationId = ctx.correlationId;
      return { ok: true, data: await handler(ctx, parseInput(schema, raw)) };
    } catch (error) {
      if (!(error instanceof AppError)) log.error("action failed", { error, correlationId });
      return { ok: false, error: userMessage(error, correlationId), code: error instanceof AppError ? error.code : "Internal" };
    }
  };
}
