"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import { AppError } from "@/lib/errors";
import { enableTask, ZEnableTaskSchema } from "@/lib/services/tasks/enable-task";
import { changeTask, ZChangeTaskSchema } from "@/lib/services/tasks/change-task";
import { searchNotes, ZSearchNotesSchema } from "@/lib/services/tasks/search-notes";

/** Enable a task type for the caller; without a grant that covers it, says which grant is needed. */
export const enableTaskAction = authedAction(
  ZEnableTaskSchema,
  async (ctx, input): Promise<{ taskId: string } | { grantNeeded: string }> => {
    try {
      const r = await enableTask(ctx, input);
      revalidatePath("/tasks");
      return r;
    } catch (error) {
      // No grant covers the task: the page offers the grant flow instead of an error.
      if (error instanceof AppError && typeof error.details?.grantNeeded === "string") return { grantNeeded: error.details.grantNeeded };
      throw error;
    }
  },
);

/** Run now / pause / resume / interval / revoke one of the caller's tasks. */
export const changeTaskAction = authedAction(ZChangeTaskSchema, async (ctx, input) => {
  const r = await changeTask(ctx, input);
  revalidatePath("/tasks");
  return r;
});

/** Search the caller's indexed notes. */
export const searchNotesAction = authedAction(ZSearchNotesSchema, (ctx, input) => searchNotes(ctx, input));
