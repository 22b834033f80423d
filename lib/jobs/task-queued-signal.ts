import "server-only";

/** The PostgreSQL channel that says "a task run was queued": idle workers fetch at once instead of polling. */
export const TASK_QUEUED_CHANNEL = "ncdd_task_queued";

const globalForSignal = globalThis as unknown as { taskQueuedListeners?: Set<() => void> };

function listeners(): Set<() => void> {
  globalForSignal.taskQueuedListeners ??= new Set();
  return globalForSignal.taskQueuedListeners;
}

/** Wakes this process's idle queue workers (called for a local enqueue and for every NOTIFY heard). */
export const taskQueuedSignal = {
  emit(): void {
    for (const listener of listeners()) listener();
  },
  on(listener: () => void): () => void {
    listeners().add(listener);
    return () => listeners().delete(listener);
  },
};
