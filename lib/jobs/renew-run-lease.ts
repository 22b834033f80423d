import "server-only";
import { db } from "../db";
import { log } from "../logger";

export const LEASE_RENEW_MS = 2000;

/**
 * Keeps a claimed run's heartbeat fresh while its attempt works, on the database clock so workers on
 * machines with skewed clocks agree. Returns the function that stops renewing.
 */
export function renewRunLease(runId: string, leaseId: string): () => void {
  const timer = setInterval(() => {
    db()
      .$executeRaw`UPDATE "TaskRun" SET "heartbeatAt" = now() WHERE "id" = ${runId} AND "leaseId" = ${leaseId} AND "status" = 'running'`.catch(
      (error) => log.warn("lease renewal failed", { runId, error }),
    );
  }, LEASE_RENEW_MS);
  timer.unref();
  return () => clearInterval(timer);
}
