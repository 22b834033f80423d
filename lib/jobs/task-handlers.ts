import "server-only";
import type { TTaskType } from "../tasks/task-catalog";
import type { TTaskHandler } from "./handlers/task-handler";
import { notesIndex } from "./handlers/notes-index";
import { filesInventory } from "./handlers/files-inventory";

/** The handler of each task type in the catalog (the type system keeps the two in step). */
export const TASK_HANDLERS: Record<TTaskType, TTaskHandler> = {
  "notes-index": notesIndex,
  "files-inventory": filesInventory,
};
