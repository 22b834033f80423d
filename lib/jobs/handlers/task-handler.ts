import type { z } from "zod";
import type { TTaskType } from "../../tasks/task-catalog";
import type { TDelegatedNextcloud } from "../delegated-nextcloud";

/** What a task handler gets for one run. It must make every Nextcloud call through `nc`. */
export type TTaskRunContext = {
  nc: TDelegatedNextcloud;
  userSub: string;
  taskId: string;
  runId: string;
  progress(this: void, done: number, total: number | null): Promise<void>;
};

/**
 * One task type's job: its id (the catalog's type), the zod schema of its payload (options carried in the
 * queued job, defaults filled in), and the handler that does one run and returns a JSON summary.
 */
export type TTaskJobDefinition<TSchema extends z.ZodType = z.ZodType> = {
  id: TTaskType;
  payloadSchema: TSchema;
  handler(payload: z.output<TSchema>, ctx: TTaskRunContext): Promise<Record<string, unknown>>;
};

/** Declares a task job with its payload type inferred from the schema. */
export function defineTaskJob<TSchema extends z.ZodType>(definition: TTaskJobDefinition<TSchema>): TTaskJobDefinition<TSchema> {
  return definition;
}
