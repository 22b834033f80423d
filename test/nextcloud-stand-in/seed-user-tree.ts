import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { v2 as webdav } from "webdav-server";

/**
 * An in-memory file tree whose etags change when a file's content, size or date changes (the library's
 * default hashes only the modification date, which gives every seeded file the same etag). A folder's
 * etag covers everything below it, as Nextcloud's does.
 */
export class StandInFileSystem extends webdav.VirtualFileSystem {
  protected _etag(p: webdav.Path, _ctx: webdav.ETagInfo, callback: webdav.ReturnCallback<string>): void {
    const self = p.toString();
    const prefix = p.toString(true);
    const hash = createHash("md5");
    for (const key of Object.keys(this.resources).sort()) {
      if (key !== self && !key.startsWith(prefix)) continue;
      const r = this.resources[key];
      if (!r) continue;
      hash.update(`${key}\0${r.size ?? 0}\0${r.lastModifiedDate}\0`);
      for (const chunk of r.content ?? []) hash.update(chunk);
    }
    callback(undefined, `"${hash.digest("hex")}"`);
  }
}

/**
 * Builds a user's tree from `<seedDir>/<uid>/` when that folder exists, else from `<seedDir>/default/`.
 * Each user gets a private copy; nothing is written back to disk.
 */
export function seedUserTree(seedDir: string, uid: string): StandInFileSystem {
  const own = path.join(seedDir, uid);
  const source = isSafeSegment(uid) && existsSync(own) ? own : path.join(seedDir, "default");
  const fs = new StandInFileSystem();
  if (existsSync(source)) copyInto(fs, source, "");
  return fs;
}

function copyInto(fs: StandInFileSystem, dir: string, davPath: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const key = `${davPath}/${entry.name}`;
    const stat = statSync(full);
    if (entry.isDirectory()) {
      const r = new webdav.VirtualFileSystemResource(webdav.ResourceType.Directory);
      r.lastModifiedDate = stat.mtimeMs;
      r.creationDate = stat.mtimeMs;
      fs.resources[key] = r;
      copyInto(fs, full, key);
    } else if (entry.isFile()) {
      const content = readFileSync(full);
      const r = new webdav.VirtualFileSystemResource(webdav.ResourceType.File);
      r.content = [content];
      r.size = content.length;
      r.lastModifiedDate = stat.mtimeMs;
      r.creationDate = stat.mtimeMs;
      fs.resources[key] = r;
    }
  }
}

function isSafeSegment(uid: string): boolean {
  return uid !== "default" && uid !== "." && uid !== ".." && !/[\\/\0]/.test(uid);
}
