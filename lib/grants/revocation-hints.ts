import { z } from "zod";

/** The PostgreSQL channel revocations are published on (lib/grants/publish-revocation.ts). */
export const REVOCATION_CHANNEL = "ncdd_revocation";

export const ZRevocationNoticeSchema = z.object({
  /** Grants that stopped for good (revoking, revoked at the provider): a grant id never becomes active again. */
  grantIds: z.array(z.string()).optional(),
  /** Tasks stopped (paused or revoked); such a task may be resumed later, which is why notices carry time. */
  taskIds: z.array(z.string()).optional(),
  /** Grants whose tokens changed (narrowed): forget what is cached for them, nothing stops. */
  changedGrantIds: z.array(z.string()).optional(),
  /** Why the tasks stopped, as the run's history says it. Default revoked. */
  reason: z.enum(["revoked", "paused"]).optional(),
});
export type TRevocationNotice = z.infer<typeof ZRevocationNoticeSchema>;

type THints = {
  live: boolean;
  grants: Map<string, number>;
  tasks: Map<string, number>;
  listeners: Set<(notice: TRevocationNotice, at: number) => void>;
};

const MAX_ENTRIES = 100_000;
const globalForHints = globalThis as unknown as { revocationHints?: THints };

function hints(): THints {
  globalForHints.revocationHints ??= { live: false, grants: new Map(), tasks: new Map(), listeners: new Set() };
  return globalForHints.revocationHints;
}

function remember(map: Map<string, number>, id: string, at: number) {
  map.delete(id);
  map.set(id, at);
  // Oldest first: a bounded memory, whatever the number of revocations the process lives through.
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}

/**
 * The in-memory view of revocations a worker process has heard (fed by lib/jobs/revocation-listener.ts):
 * applies one notice and tells subscribers (the token memory, runs waiting on a request).
 */
export function applyRevocationNotice(notice: TRevocationNotice, at = performance.now()): void {
  const h = hints();
  for (const id of notice.grantIds ?? []) remember(h.grants, id, at);
  for (const id of notice.taskIds ?? []) remember(h.tasks, id, at);
  for (const listener of h.listeners) listener(notice, at);
}

/** True while a listener is connected and LISTENing: only then may memory stand in for a database read. */
export function revocationListenerLive(): boolean {
  return hints().live;
}

/** Set by the listener on (re)connect and on loss; on loss every cached answer is dropped by subscribers. */
export function setRevocationListenerLive(live: boolean): void {
  const h = hints();
  h.live = live;
  if (!live) for (const listener of h.listeners) listener({}, Number.NaN);
}

/** When (performance.now()) this process heard that the task or its grant stopped, else null. */
export function heardStopped(ids: { taskId?: string; grantId?: string }): number | null {
  const h = hints();
  const g = ids.grantId ? h.grants.get(ids.grantId) : undefined;
  const t = ids.taskId ? h.tasks.get(ids.taskId) : undefined;
  if (g === undefined && t === undefined) return null;
  return Math.max(g ?? -Infinity, t ?? -Infinity);
}

/** Subscribes to notices (and to listener loss, called with an empty notice and NaN); returns the unsubscribe. */
export function onRevocationNotice(listener: (notice: TRevocationNotice, at: number) => void): () => void {
  hints().listeners.add(listener);
  return () => hints().listeners.delete(listener);
}
