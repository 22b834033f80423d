import "server-only";
import { auditConfig } from "../audit/audit-config";
import { ZCheckpointSchema } from "../audit/checkpoint";
import { fileCheckpointStore } from "../audit/checkpoint-store";

type TCheckpointSource = () => Promise<Date | null>;

const holder = globalThis as unknown as { ncddAuditCheckpointSource?: TCheckpointSource };

/**
 * Lets the audit-checkpoint module say where the newest signed checkpoint's time comes from (its file or
 * bucket store). Without it, the configured file store is read.
 */
export function setAuditCheckpointSource(source: TCheckpointSource): void {
  holder.ncddAuditCheckpointSource = source;
}

/**
 * The time of the newest audit checkpoint; null when there is a store but no checkpoint yet, undefined
 * when this deployment has no checkpoint key at all (the metric is then omitted, not faked).
 */
export async function readAuditCheckpointAt(): Promise<Date | null | undefined> {
  if (holder.ncddAuditCheckpointSource) return holder.ncddAuditCheckpointSource();
  const config = auditConfig();
  if (config.verifyKeys.length === 0) return undefined;
  const parsed = ZCheckpointSchema.safeParse(await fileCheckpointStore(config.dir).latest());
  return parsed.success ? new Date(parsed.data.at) : null;
}
