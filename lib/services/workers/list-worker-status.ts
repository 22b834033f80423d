import "server-only";
import { db } from "../../db";
import { AppError } from "../../errors";
import { readQueueDepth, type TQueueDepth } from "../../metrics/read-queue-depth";
import { WORKER_GONE_AFTER_SECONDS } from "../../metrics/worker-liveness";
import type { TCtx } from "../context";

export type TWorkerView = {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  concurrency: number;
  runsInFlight: number;
  lastBeatAt: string;
  /** Seconds since the last heartbeat, on the database clock. */
  beatAgeSeconds: number;
  state: "live" | "gone";
};

export type TOutboxRowView = {
  id: string;
  username: string;
  requestedAt: string;
  ageSeconds: number;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
};

export type TWorkerStatus = {
  checkedAt: string;
  goneAfterSeconds: number;
  workers: TWorkerView[];
  /** Null when pg-boss has not created its tables yet (no worker ever started). */
  queue: TQueueDepth | null;
  outbox: { pending: number; confirmedLastDay: number; oldestPendingAgeSeconds: number | null; rows: TOutboxRowView[] };
};

const OUTBOX_ROWS = 20;

/**
 * What the Workers page shows (admins only): every worker with a heartbeat row — live, or gone when it
 * stopped beating without saying goodbye — the task queue's depth and the revocation outbox's pending
 * rows, oldest first. Ages come from the database clock, so hosts with skewed clocks do not mislead.
 */
export async function listWorkerStatus(ctx: TCtx): Promise<TWorkerStatus> {
  if (!ctx.isAdmin) throw new AppError("Forbidden", "Only admins can see the workers.");
  const [clock] = await db().$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  const now = clock!.now;
  const age = (d: Date) => Math.max(0, Math.round((now.getTime() - d.getTime()) / 100) / 10);

  const [beats, queue, pending, confirmedLastDay, oldest, rows] = await Promise.all([
    db().workerHeartbeat.findMany({ orderBy: [{ host: "asc" }, { startedAt: "asc" }] }),
    readQueueDepth(),
    db().revocation.count({ where: { status: "pending" } }),
    db().revocation.count({ where: { status: "confirmed", confirmedAt: { gt: new Date(now.getTime() - 86_400_000) } } }),
    db().revocation.findFirst({ where: { status: "pending" }, orderBy: { requestedAt: "asc" }, select: { requestedAt: true } }),
    db().revocation.findMany({
      where: { status: "pending" },
      orderBy: { requestedAt: "asc" },
      take: OUTBOX_ROWS,
      select: {
        id: true,
        userSub: true,
        requestedAt: true,
        attempts: true,
        nextAttemptAt: true,
        lastError: true,
        grant: { select: { user: { select: { username: true } } } },
      },
    }),
  ]);

  return {
    checkedAt: now.toISOString(),
    goneAfterSeconds: WORKER_GONE_AFTER_SECONDS,
    workers: beats.map((b) => ({
      id: b.id,
      host: b.host,
      pid: b.pid,
      startedAt: b.startedAt.toISOString(),
      concurrency: b.concurrency,
      runsInFlight: b.runsInFlight,
      lastBeatAt: b.lastBeatAt.toISOString(),
      beatAgeSeconds: age(b.lastBeatAt),
      state: age(b.lastBeatAt) > WORKER_GONE_AFTER_SECONDS ? "gone" : "live",
    })),
    queue,
    outbox: {
      pending,
      confirmedLastDay,
      oldestPendingAgeSeconds: oldest ? age(oldest.requestedAt) : null,
      rows: rows.map((r) => ({
        id: r.id,
        username: r.grant.user.username,
        requestedAt: r.requestedAt.toISOString(),
        ageSeconds: age(r.requestedAt),
        attempts: r.attempts,
        nextAttemptAt: r.nextAttemptAt.toISOString(),
        lastError: r.lastError ? r.lastError.slice(0, 200) : null,
      })),
    },
  };
}
