let stopping = false;

/** Called once on SIGTERM/SIGINT: runs in flight hand their task back to the queue at their next check. */
export function beginWorkerShutdown(): void {
  stopping = true;
}

/** Whether this worker process is shutting down (in-process flag; other workers keep working). */
export function isWorkerStopping(): boolean {
  return stopping;
}
