import "server-only";
import { db } from "../../db";
import { appendAuditEvents } from "../../audit/record-event";
import type { TCtx } from "../context";

export type TDataDisposition = {
  deleted: { notes: number; files: number };
  kept: string[];
};

/**
 * Deletes what the caller's tasks collected from Nextcloud: the notes index and the files inventory. The
 * request feed is audit history and stays (the audit trail is append-only by design, and it holds paths
 * and statuses, never content). Returns what was deleted and what was kept, for the receipt.
 */
export async function deleteCollectedData(ctx: TCtx): Promise<TDataDisposition> {
  return db().$transaction(async (tx) => {
    const notes = await tx.noteDocument.deleteMany({ where: { userSub: ctx.userSub } });
    const files = await tx.fileEntry.deleteMany({ where: { userSub: ctx.userSub } });
    const disposition: TDataDisposition = {
      deleted: { notes: notes.count, files: files.count },
      kept: [
        "the request feed (what the worker did, when and with which result): it is part of the tamper-evident audit trail and holds no content",
      ],
    };
    await appendAuditEvents(tx, [
      {
        actor: ctx.userSub,
        actorType: ctx.isAdmin ? "admin" : "user",
        subject: ctx.userSub,
        action: "task.data_deleted",
        resource: `user:${ctx.userSub}`,
        outcome: "success",
        correlationId: ctx.correlationId,
        details: disposition.deleted,
      },
    ]);
    return disposition;
  });
}
