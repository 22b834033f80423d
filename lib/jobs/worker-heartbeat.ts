import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { db } from "../db";
import { log } from "../logger";
import { processMetrics } from "../metrics/process-metrics";

/** Rows of workers gone for longer than this are removed by any live worker's beat. */
const FORGET_GONE_AFTER_SECONDS = 3600;

export type TWorkerHeartbeat = {
  id: string;
  /** When this process last wrote its row successfully (its own clock), null before the first beat. */
  lastBeatAt(): Date | null;
  /** Stops beating and deletes the row (graceful stop): the worker leaves the Workers page at once. */
  stop(): Promise<void>;
};

/**
 * Announces this worker process in WorkerHeartbeat and renews the row every `everyMs` with the runs it
 * has in flight (database clock, so hosts with skewed clocks compare fairly). A failed beat is logged and
 * retried at the next tick; it only makes the worker look stale, which is exactly what readiness reports.
 */
export async function startWorkerHeartbeat(opts: { concurrency: number; everyMs: number }): Promise<TWorkerHeartbeat> {
  const id = randomUUID();
  const inFlight = processMetrics().inFlight;
  let last: Date | null = null;
  let beating: Promise<void> | null = null;
  let stopped = false;

  const beat = async () => {
    const runs = inFlight.count;
    await db().$executeRaw`
      INSERT INTO "WorkerHeartbeat" ("id", "host", "pid", "startedAt", "concurrency", "runsInFlight", "lastBeatAt")
      VALUES (${id}, ${hostname()}, ${process.pid}, now(), ${opts.concurrency}, ${runs}, now())
      ON CONFLICT ("id") DO UPDATE SET "runsInFlight" = EXCLUDED."runsInFlight", "lastBeatAt" = now()`;
    last = new Date();
    await db().$executeRaw`
      DELETE FROM "WorkerHeartbeat" WHERE "lastBeatAt" < now() - make_interval(secs => ${FORGET_GONE_AFTER_SECONDS})`;
  };
  const tick = (): Promise<void> | null => {
    if (beating || stopped) return beating;
    beating = beat()
      .catch((error: unknown) => log.warn("worker heartbeat failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        beating = null;
      });
    return beating;
  };

  await tick();
  const timer = setInterval(() => void tick(), opts.everyMs);
  timer.unref();

  return {
    id,
    lastBeatAt: () => last,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await beating;
      await db()
        .workerHeartbeat.deleteMany({ where: { id } })
        .catch((error: unknown) => log.warn("could not remove the worker heartbeat", { error }));
    },
  };
}
