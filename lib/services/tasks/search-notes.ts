import "server-only";
import { z } from "zod";
import { ZSafeTextSchema } from "../../validation/z-safe-text-schema";
import { db } from "../../db";
import type { TCtx } from "../context";

export const ZSearchNotesSchema = z.strictObject({
  q: ZSafeTextSchema.trim().min(1, { error: "must not be empty" }).max(200, { error: "must be at most 200 characters" }),
});

export type TNoteHit = { path: string; title: string; snippet: string; rank: number };

/** Full-text search over the caller's indexed notes only, best first, with a highlighted snippet. */
export async function searchNotes(ctx: TCtx, { q }: z.infer<typeof ZSearchNotesSchema>): Promise<TNoteHit[]> {
  return db().$queryRaw<TNoteHit[]>`
    SELECT "path", "title",
      ts_headline('simple', "content", plainto_tsquery('simple', ${q}), 'StartSel=«,StopSel=»,MaxFragments=1,MaxWords=18,MinWords=6') AS "snippet",
      ts_rank("search", plainto_tsquery('simple', ${q}))::float AS "rank"
    FROM "NoteDocument"
    WHERE "userSub" = ${ctx.userSub} AND "search" @@ plainto_tsquery('simple', ${q})
    ORDER BY "rank" DESC, "title" LIMIT 20`;
}
