import "server-only";
import { log } from "../logger";
import type { TCheckpoint } from "./checkpoint";
import { writeAuditCheckpoint } from "./write-checkpoint";

/**
 * The signed checkpoint to hand to a witness (a revocation receipt, an export): a fresh one covering
 * every row recorded so far (signed now when rows were added since the newest), so the witness proves
 * the trail contained the events it describes. Returns the newest stored checkpoint when the trail no
 * longer extends it (the refusal is logged), and null when no signing key is configured or signing
 * failed; a witness without a checkpoint is still issued (never blocks the caller).
 */
export async function latestCheckpointForReceipt(): Promise<TCheckpoint | null> {
  try {
    return (await writeAuditCheckpoint()).checkpoint;
  } catch (error) {
    log.error("could not sign an audit checkpoint for a witness", { error });
    return null;
  }
}
