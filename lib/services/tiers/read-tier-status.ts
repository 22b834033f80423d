import "server-only";
import { log } from "../../logger";
import type { TCtx } from "../context";
import { listTierProbes } from "./list-tier-probes";
import { runTierProbes } from "./run-tier-probes";

/**
 * The cached tier status. When it is older than the schedule's interval, a probe run (as this admin,
 * through their own grant) is handed to `later` — Next's `after`, so it starts once the answer is sent;
 * the next read shows its results.
 */
export async function readTierStatus(ctx: TCtx, later: (task: () => Promise<void>) => void) {
  const list = await listTierProbes(ctx);
  if (list.stale) {
    later(() =>
      runTierProbes(ctx, { trigger: "schedule" }).then(
        () => undefined,
        (error: unknown) => log.warn("scheduled tier probes failed", { error }),
      ),
    );
  }
  return list;
}
