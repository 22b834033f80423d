import "server-only";
import { onRevocationNotice } from "../grants/revocation-hints";
import { RunStopped } from "./run-stopped";

/**
 * Lets a run stop while one of its Nextcloud requests is still in flight: resolves as `work` does, or
 * rejects with RunStopped as soon as a pushed notice names the run's task or grant. The request already
 * left before the revocation committed; only its answer is dropped. For lib/jobs/delegated-nextcloud.ts:
 * `return raceRevocation(input, nextcloudRequest(...))`.
 */
export async function raceRevocation<T>(ids: { taskId: string; grantId: string }, work: Promise<T>): Promise<T> {
  let unsubscribe = () => {};
  const stopped = new Promise<never>((_, reject) => {
    unsubscribe = onRevocationNotice((notice) => {
      if (notice.grantIds?.includes(ids.grantId)) reject(new RunStopped("stopped: access revoked"));
      else if (notice.taskIds?.includes(ids.taskId)) reject(new RunStopped(notice.reason === "paused" ? "stopped: paused" : "stopped: access revoked"));
    });
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    unsubscribe();
    stopped.catch(() => undefined);
  }
}
