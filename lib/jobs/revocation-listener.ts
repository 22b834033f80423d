import "server-only";
import pg from "pg";
import { log } from "../logger";
import { REVOCATION_CHANNEL, ZRevocationNoticeSchema, applyRevocationNotice, setRevocationListenerLive } from "../grants/revocation-hints";
import { TASK_QUEUED_CHANNEL, taskQueuedSignal } from "./task-queued-signal";

export type TRevocationListener = { stop(): Promise<void>; ready: Promise<void> };

/**
 * The worker process's one dedicated PostgreSQL connection that LISTENs for revocations (feeding the
 * in-memory hints, lib/grants/revocation-hints.ts) and for queued runs (waking idle queue workers).
 * Started once per process; reconnects with backoff. While disconnected the hints say "not live", so
 * the token memory is not used and every check goes to the database.
 */
export function startRevocationListener(connectionString: string): TRevocationListener {
  const holder = globalThis as unknown as { revocationListener?: TRevocationListener };
  if (holder.revocationListener) return holder.revocationListener;
  const listener = openListener(connectionString, () => (holder.revocationListener = undefined));
  holder.revocationListener = listener;
  return listener;
}

function openListener(connectionString: string, onStop: () => void): TRevocationListener {
  let stopped = false;
  let client: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let backoffMs = 100;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString });
    client = c;
    const lost = (error?: unknown) => {
      if (client !== c) return;
      client = null;
      setRevocationListenerLive(false);
      if (error) log.warn("revocation listener lost its connection", { error });
      c.end().catch(() => undefined);
      if (!stopped) retryTimer = setTimeout(() => void connect(), backoffMs);
      backoffMs = Math.min(backoffMs * 2, 5000);
    };
    c.on("error", lost);
    c.on("end", () => lost());
    c.on("notification", (msg) => {
      if (msg.channel === TASK_QUEUED_CHANNEL) return taskQueuedSignal.emit();
      if (msg.channel !== REVOCATION_CHANNEL || !msg.payload) return;
      const parsed = ZRevocationNoticeSchema.safeParse(safeJson(msg.payload));
      if (parsed.success) applyRevocationNotice(parsed.data);
      else log.warn("revocation notice ignored: malformed payload");
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${REVOCATION_CHANNEL}`);
      await c.query(`LISTEN ${TASK_QUEUED_CHANNEL}`);
      backoffMs = 100;
      setRevocationListenerLive(true);
      resolveReady();
    } catch (error) {
      lost(error);
    }
  };
  void connect();

  return {
    ready,
    async stop() {
      stopped = true;
      onStop();
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = null;
      setRevocationListenerLive(false);
      await c?.end().catch(() => undefined);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
