import type { TDelegatedNextcloud } from "../delegated-nextcloud";

/** What a task handler gets for one run. It must make every Nextcloud call through `nc`. */
export type TTaskRunContext = {
  nc: TDelegatedNextcloud;
  userSub: string;
  taskId: string;
  runId: string;
  progress(done: number, total: number | null): Promise<void>;
};

/** A task's work for one run; returns a JSON summary shown in the run history. */
export type TTaskHandler = (ctx: TTaskRunContext) => Promise<Record<string, unknown>>;
