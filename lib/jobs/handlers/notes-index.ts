import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { AppError } from "../../errors";
import { parseMultistatus } from "../webdav-multistatus";
import { propfind, readNextcloudUserId } from "./read-nextcloud-user";
import { defineTaskJob } from "./task-handler";

const NOTE_FILE = /\.(md|markdown|txt)$/i;

export const ZNotesIndexPayloadSchema = z.object({
  /** The Notes app's folder below the user's files root (relative, no ".." segments). */
  folder: z
    .string()
    .min(1)
    .max(200)
    .refine((f) => !f.startsWith("/") && !f.split("/").includes(".."), "must be a relative folder")
    .default("Notes"),
});

/**
 * notes-index: reads the user's notes (files in Nextcloud's Notes folder, over WebDAV — user_oidc
 * accepts bearer tokens there, not on the Notes app API) and upserts them into the full-text index.
 * Notes that disappeared from Nextcloud leave the index too.
 */
export const notesIndexJob = defineTaskJob({
  id: "notes-index",
  payloadSchema: ZNotesIndexPayloadSchema,
  handler: async (payload, { nc, userSub, progress }) => {
    const uid = await readNextcloudUserId(nc);
    const root = `/remote.php/dav/files/${uid}/`;
    const notes: { path: string; etag: string | null }[] = [];
    const folders = [payload.folder.endsWith("/") ? payload.folder : `${payload.folder}/`];
    while (folders.length) {
      const folder = folders.shift()!;
      for (const e of parseMultistatus(await propfind(nc, uid, folder))) {
        const rel = e.path.startsWith(root) ? e.path.slice(root.length) : e.path;
        if (rel === folder || `${rel}/` === folder) continue;
        if (e.isFolder) folders.push(rel.endsWith("/") ? rel : `${rel}/`);
        else if (NOTE_FILE.test(rel)) notes.push({ path: rel, etag: e.etag });
      }
    }
    await progress(0, notes.length);
    let done = 0;
    let changed = 0;
    for (const note of notes) {
      const known = await db().noteDocument.findUnique({ where: { userSub_path: { userSub, path: note.path } }, select: { etag: true } });
      if (!known || !note.etag || known.etag !== note.etag) {
        const res = await nc.request({ method: "GET", path: `${root}${note.path.split("/").map(encodeURIComponent).join("/")}` });
        if (!res.ok) throw new AppError("ProviderError", `GET ${note.path} answered HTTP ${res.status}`);
        const content = await res.text();
        const title = note.path.split("/").pop()!.replace(NOTE_FILE, "");
        await db().noteDocument.upsert({
          where: { userSub_path: { userSub, path: note.path } },
          create: { userSub, path: note.path, title, content, etag: note.etag },
          update: { title, content, etag: note.etag, indexedAt: new Date() },
        });
        changed += 1;
      }
      done += 1;
      await progress(done, notes.length);
    }
    const removed = await db().noteDocument.deleteMany({ where: { userSub, path: { notIn: notes.map((n) => n.path) } } });
    return { notes: notes.length, indexed: changed, removed: removed.count };
  },
});
