import "server-only";
import type { TTaskType } from "../tasks/task-catalog";
import type { TTaskJobDefinition } from "./handlers/task-handler";
import { notesIndexJob } from "./handlers/notes-index";
import { filesInventoryJob } from "./handlers/files-inventory";

/** The job of each task type in the catalog (the type system keeps the two in step). */
export const TASK_JOBS: Record<TTaskType, TTaskJobDefinition> = {
  "notes-index": notesIndexJob,
  "files-inventory": filesInventoryJob,
};
