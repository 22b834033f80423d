import "server-only";
import { z } from "zod";
import { db } from "../../db";
import { parseMultistatus } from "../webdav-multistatus";
import { propfind, readNextcloudUserId } from "./read-nextcloud-user";
import { AppError } from "../../errors";
import { defineTaskJob } from "./task-handler";

export const ZFilesInventoryPayloadSchema = z.object({
  /** Upper bound on folders walked in one run, so a huge tree cannot keep a worker busy forever. */
  maxFolders: z.number().int().min(1).max(100_000).default(10_000),
});

/**
 * files-inventory: walks the user's files folder by folder (PROPFIND Depth 1) and records counts,
 * total size and what changed since the last run (added, changed by etag, removed).
 */
export const filesInventoryJob = defineTaskJob({
  id: "files-inventory",
  payloadSchema: ZFilesInventoryPayloadSchema,
  handler: async (payload, { nc, userSub, progress }) => {
    const uid = await readNextcloudUserId(nc);
    const root = `/remote.php/dav/files/${uid}/`;
    const seen = new Map<string, { isFolder: boolean; size: number; etag: string | null }>();
    const folders = [""];
    let walked = 0;
    while (folders.length) {
      if (walked >= payload.maxFolders) throw new AppError("BadInput", `More than ${payload.maxFolders} folders; inventory stopped`);
      const folder = folders.shift()!;
      for (const e of parseMultistatus(await propfind(nc, uid, folder))) {
        const rel = (e.path.startsWith(root) ? e.path.slice(root.length) : e.path).replace(/\/$/, "");
        if (rel === folder.replace(/\/$/, "")) continue;
        seen.set(rel, { isFolder: e.isFolder, size: e.isFolder ? 0 : e.size, etag: e.etag });
        if (e.isFolder) folders.push(`${rel}/`);
      }
      walked += 1;
      await progress(walked, walked + folders.length);
    }
    const before = new Map((await db().fileEntry.findMany({ where: { userSub } })).map((f) => [f.path, f]));
    const added: string[] = [];
    const changed: string[] = [];
    for (const [path, f] of seen) {
      const old = before.get(path);
      if (!old) added.push(path);
      else if (!f.isFolder && (old.etag !== f.etag || Number(old.size) !== f.size)) changed.push(path);
    }
    const removed = [...before.keys()].filter((p) => !seen.has(p));
    await db().$transaction([
      db().fileEntry.deleteMany({ where: { userSub, path: { in: removed } } }),
      ...[...seen].map(([path, f]) =>
        db().fileEntry.upsert({
          where: { userSub_path: { userSub, path } },
          create: { userSub, path, isFolder: f.isFolder, size: BigInt(f.size), etag: f.etag },
          update: { isFolder: f.isFolder, size: BigInt(f.size), etag: f.etag, seenAt: new Date() },
        }),
      ),
    ]);
    const files = [...seen.values()].filter((f) => !f.isFolder);
    return {
      files: files.length,
      folders: seen.size - files.length,
      bytes: files.reduce((n, f) => n + f.size, 0),
      added: added.length,
      changed: changed.length,
      removed: removed.length,
      changes: { added: added.slice(0, 20), changed: changed.slice(0, 20), removed: removed.slice(0, 20) },
    };
  },
});
