import { mkdir, open, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { TCheckpoint } from "./checkpoint";

/**
 * Where signed checkpoints live: anywhere but the audit table. Append-only by contract: a checkpoint is
 * written once and never replaced. Entries are returned raw (unverified): callers check signatures.
 * The file store below is the default; in production an S3-compatible bucket with Object Lock in
 * compliance mode gives the same interface with deletion refused by the storage itself (README).
 */
export type TCheckpointStore = {
  readonly description: string;
  append(cp: TCheckpoint): Promise<void>;
  /** The newest entry (highest headSeq, then latest time), or null when the store is empty. */
  latest(): Promise<unknown>;
  /** Every entry, oldest first. */
  list(): Promise<unknown[]>;
};

const NAME = /^\d{20}-\d{8}T\d{9}Z\.json$/;

function fileName(cp: TCheckpoint): string {
  return `${cp.headSeq.padStart(20, "0")}-${cp.at.replace(/[-:.]/g, "")}.json`;
}

/**
 * A directory with one JSON file per checkpoint, named so that name order is checkpoint order. Files
 * are created exclusively (an existing name is never overwritten), flushed to disk, and made read-only.
 */
export function fileCheckpointStore(dir: string): TCheckpointStore {
  const names = async () => {
    const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [] as string[];
      throw error;
    });
    return entries.filter((n) => NAME.test(n)).sort();
  };
  const read = async (name: string): Promise<unknown> => {
    try {
      return JSON.parse(await readFile(path.join(dir, name), "utf8")) as unknown;
    } catch {
      return { unreadable: name };
    }
  };
  return {
    description: `file store ${path.resolve(dir)}`,
    async append(cp) {
      await mkdir(dir, { recursive: true });
      const handle = await open(path.join(dir, fileName(cp)), "wx", 0o444);
      try {
        await handle.writeFile(`${JSON.stringify(cp, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async latest() {
      const all = await names();
      return all.length ? read(all[all.length - 1]!) : null;
    },
    async list() {
      return Promise.all((await names()).map(read));
    },
  };
}
