import "server-only";
import { db } from "../db";

type TCheckpointSource = () => Promise<Date | null>;

const holder = globalThis as unknown as { ncddAuditCheckpointSource?: TCheckpointSource };

/**
 * Lets the audit-checkpoint module say where the newest signed checkpoint's time comes from (its file or
 * bucket store). Without it, a table named "AuditCheckpoint" is used when one exists.
 */
export function setAuditCheckpointSource(source: TCheckpointSource): void {
  holder.ncddAuditCheckpointSource = source;
}

const TIME_COLUMNS = ["signedAt", "at", "createdAt", "issuedAt"];

/**
 * The time of the newest audit checkpoint; null when there is a store but no checkpoint yet, undefined
 * when this deployment has no checkpoint store at all (the metric is then omitted, not faked).
 */
export async function readAuditCheckpointAt(): Promise<Date | null | undefined> {
  if (holder.ncddAuditCheckpointSource) return holder.ncddAuditCheckpointSource();
  const columns = await db().$queryRaw<{ column_name: string }[]>`
    SELECT column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'AuditCheckpoint'
      AND data_type IN ('timestamp without time zone', 'timestamp with time zone')`;
  const column = TIME_COLUMNS.find((c) => columns.some((r) => r.column_name === c));
  if (!column) return undefined;
  const rows = await db().$queryRawUnsafe<{ at: Date | null }[]>(`SELECT max("${column}") AS at FROM "AuditCheckpoint"`);
  return rows[0]?.at ?? null;
}
