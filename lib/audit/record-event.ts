import "server-only";
import { Prisma } from "@prisma/client";
import { db } from "../db";
import { GENESIS_HASH, hashEvent } from "./canonical-event";
import { sanitizeAuditInput } from "./sanitize-audit-input";
import type { TAuditInput, TAuditRecorder } from "./types";

/** Transaction-scoped advisory lock id ("NCDDAUDT"); every writer of the chain takes it. */
export const AUDIT_CHAIN_LOCK_ID = 0x4e43444441554454n;

export type TRecordedAuditEvent = { seq: bigint; at: Date; hash: string; prevHash: string };

/**
 * Appends one event to the hash-chained audit trail. Writers are serialised by a transaction-scoped
 * advisory lock, so concurrent callers (app and worker processes alike) still form one unbroken chain;
 * `at` never goes backwards along `seq`, which lets time filters become seq ranges. Input is redacted
 * before it is hashed or stored.
 */
export async function recordAuditEvent(input: TAuditInput): Promise<TRecordedAuditEvent> {
  const clean = sanitizeAuditInput(input);
  return db().$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_ID}::bigint)`;
      const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true, at: true } });
      const [next] = await tx.$queryRaw<{ seq: bigint }[]>`
        SELECT nextval(pg_get_serial_sequence('"AuditEvent"', 'seq')) AS seq`;
      const now = new Date();
      const at = last && last.at > now ? last.at : now;
      const content = { ...clean, seq: next!.seq, at, prevHash: last?.hash ?? GENESIS_HASH };
      const hash = hashEvent(content);
      await tx.auditEvent.create({
        data: {
          ...content,
          actChain: content.actChain === null ? Prisma.DbNull : (content.actChain as Prisma.InputJsonValue),
          details: content.details === null ? Prisma.DbNull : (content.details as Prisma.InputJsonValue),
          hash,
        },
      });
      return { seq: content.seq, at, hash, prevHash: content.prevHash };
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}

/** The recorder injected into the token module and the worker; same guarantees as recordAuditEvent. */
export const auditRecorder: TAuditRecorder = async (event) => {
  await recordAuditEvent(event);
};
