// A worker thread of the chain walk: hashes blocks of COPY lines off the main thread (walk-chain.ts).
import { parentPort } from "node:worker_threads";
import { firstAlteredSeq } from "./chain-chunk.mjs";

parentPort.on("message", ({ id, text }) => {
  try {
    parentPort.postMessage({ id, altered: firstAlteredSeq(text) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
