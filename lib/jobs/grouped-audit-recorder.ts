import "server-only";
import { recordAuditEvents } from "../audit/record-event";
import type { TAuditInput, TAuditRecorder } from "../audit/types";

type TWaiting = { event: TAuditInput; resolve: () => void; reject: (error: unknown) => void };

/** Bounds one append (one transaction, one multi-row insert). */
const MAX_GROUP = 200;

/**
 * An audit recorder with group commit: events that arrive while an append is in progress are appended
 * together in the next one (one chain lock, one commit). Each caller still resolves only once its own row
 * is committed, so a run's rows stay in its order and a request's row is durable before the run goes on,
 * exactly as with one transaction per row; concurrent runs just stop queueing one by one on the chain lock.
 * A group that fails is retried row by row, so a bad event fails only its own caller.
 */
export function createGroupedAuditRecorder(append: (events: TAuditInput[]) => Promise<unknown> = recordAuditEvents): TAuditRecorder {
  let waiting: TWaiting[] = [];
  let appending = false;
  const drain = async () => {
    appending = true;
    while (waiting.length) {
      const group = waiting.slice(0, MAX_GROUP);
      waiting = waiting.slice(group.length);
      try {
        await append(group.map((w) => w.event));
        group.forEach((w) => w.resolve());
      } catch {
        for (const w of group) await append([w.event]).then(w.resolve, w.reject);
      }
    }
    appending = false;
  };
  return (event) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ event, resolve, reject });
      if (!appending) void drain();
    });
}

const holder = globalThis as unknown as { workerAuditRecorder?: TAuditRecorder };

/** The worker process's one grouped recorder (runs, their Nextcloud requests and token calls). */
export function workerAuditRecorder(): TAuditRecorder {
  holder.workerAuditRecorder ??= createGroupedAuditRecorder();
  return holder.workerAuditRecorder;
}
