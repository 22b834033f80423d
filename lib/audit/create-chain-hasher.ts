import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { firstAlteredSeq } from "./chain-chunk.mjs";

/** Checks blocks of COPY lines (see firstAlteredSeq); `threads` is how many workers it really runs (0: inline). */
export type TChainHasher = { threads: number; check(text: string): Promise<string | null>; close(): void };

// The worker's file is found next to this module when it runs from source (tsx, Vitest, the CLI). Inside a
// bundle (Next) it is not there, and the walk hashes on its own thread instead. The name is not a literal
// in `new URL(...)`, so bundlers do not try to package the worker as an asset.
function workerFile(): URL | null {
  try {
    const name = "chain-hash-worker.mjs";
    const url = new URL(name, import.meta.url);
    return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

/**
 * Hashes blocks of the chain walk on `threads` worker threads, round robin, so the walk's main thread only
 * checks links. Without a loadable worker file (inside a bundle) or with 0 threads it hashes inline; a
 * worker that fails hands its blocks back to this thread, so a result never depends on the workers.
 */
export function createChainHasher(threads: number): TChainHasher {
  const file = threads > 0 ? workerFile() : null;
  if (!file) return { threads: 0, check: async (text) => firstAlteredSeq(text), close: () => undefined };
  const waiting = new Map<number, { text: string; resolve: (v: string | null) => void; reject: (e: Error) => void }>();
  let broken = false;
  const fallBack = () => {
    broken = true;
    for (const [id, w] of waiting) {
      waiting.delete(id);
      try {
        w.resolve(firstAlteredSeq(w.text));
      } catch (error) {
        w.reject(error as Error);
      }
    }
  };
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(file);
    worker.on("message", (m: { id: number; altered?: string | null; error?: string }) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.altered ?? null);
    });
    worker.on("error", fallBack);
    return worker;
  });
  let id = 0;
  return {
    threads,
    check(text) {
      if (broken) return Promise.resolve(firstAlteredSeq(text));
      return new Promise((resolve, reject) => {
        id += 1;
        waiting.set(id, { text, resolve, reject });
        workers[id % threads]!.postMessage({ id, text });
      });
    },
    close: () => {
      for (const w of workers) void w.terminate();
    },
  };
}
