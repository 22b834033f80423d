"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import { AppError } from "@/lib/errors";
import { enableTask, ZEnableTaskSchema } from "@/lib/services/tasks/enable-task";
import { changeTask, ZChangeTaskSchema } from "@/lib/services/tasks/change-task";
import { searchNotes, ZSearchNotesSchema } from "@/lib/services/tasks/search-notes";

const enable = authedAction(ZEnableTaskSchema, async (ctx, input): Promise<{ taskId: string } | { grantNeeded: string }> => {
  try {
    const r = await enableTask(ctx, input);
    revalidatePath("/tasks");
    return r;
  } catch (error) {
    // No grant covers the task: the page offers the grant flow instead of an error.
    if (error instanceof AppError && typeof error.details?.grantNeeded === "string") return { grantNeeded: error.details.grantNeeded };
    throw error;
  }
});

const change = authedAction(ZChangeTaskSchema, async (ctx, input) => {
  const r = await changeTask(ctx, input);
  revalidatePath("/tasks");
  return r;
});

const search = authedAction(ZSearchNotesSchema, (ctx, input) => searchNotes(ctx, input));

/** Enable a task type for the caller (server action). */
export async function enableTaskAction(input: { type: string; intervalMinutes?: number }) {
  return enable(input);
}

/** Run now / pause / resume / interval / revoke one of the caller's tasks (server action). */
export async function changeTaskAction(input: unknown) {
  return change(input);
}

/** Search the caller's indexed notes (server action). */
export async function searchNotesAction(input: { q: string }) {
  return search(input);
}
