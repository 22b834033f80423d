import "server-only";
import type { TDelegatedToken } from "./get-delegated-token";
import { heardStopped, onRevocationNotice, revocationListenerLive } from "./revocation-hints";

type TEntry = { token: TDelegatedToken; audience: string | null; lastUsedWrittenAt: number };
type TMemory = { entries: Map<string, TEntry>; epoch: number; unsubscribe: () => void };

const MAX_GRANTS = 50_000;
const globalForMemory = globalThis as unknown as { delegatedTokenMemory?: TMemory };

function memory(): TMemory {
  if (!globalForMemory.delegatedTokenMemory) {
    const m: TMemory = { entries: new Map(), epoch: 0, unsubscribe: () => {} };
    m.unsubscribe = onRevocationNotice((notice, at) => {
      m.epoch += 1;
      if (Number.isNaN(at)) m.entries.clear();
      for (const id of [...(notice.grantIds ?? []), ...(notice.changedGrantIds ?? [])]) m.entries.delete(id);
    });
    globalForMemory.delegatedTokenMemory = m;
  }
  return globalForMemory.delegatedTokenMemory;
}

/**
 * The opened access token of a grant kept in this process's memory, so the cached path costs no read,
 * no decrypt and (at most once a minute) a write. Used only while the revocation listener is live: a
 * revocation or narrowing notice forgets the grant at once, and losing the listener forgets everything.
 * The worker's per-request database check (assertRunMayAct) still runs before every request.
 */
export const delegatedTokenMemory = {
  /** A counter that moves with every notice: read it before a database read, pass it to remember(). */
  epoch(): number {
    return memory().epoch;
  },
  recall(grantId: string, audience: string | null, minValidityMs: number): TEntry | null {
    if (!revocationListenerLive() || heardStopped({ grantId }) !== null) return null;
    const entry = memory().entries.get(grantId);
    if (!entry || entry.audience !== audience) return null;
    if (entry.token.expiresAt.getTime() - Date.now() < minValidityMs) return null;
    return entry;
  },
  /** Keeps a token read or minted since `epoch`; dropped when any notice arrived in between. */
  remember(grantId: string, audience: string | null, token: TDelegatedToken, epoch: number, lastUsedWrittenAt: number): void {
    const m = memory();
    if (!revocationListenerLive() || m.epoch !== epoch || heardStopped({ grantId }) !== null) return;
    m.entries.delete(grantId);
    m.entries.set(grantId, { token: { ...token, source: "cache" }, audience, lastUsedWrittenAt });
    if (m.entries.size > MAX_GRANTS) m.entries.delete(m.entries.keys().next().value as string);
  },
  forget(grantId: string): void {
    memory().entries.delete(grantId);
  },
};
