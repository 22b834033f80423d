import "server-only";
import type { Prisma } from "@prisma/client";
import { db } from "../db";
import { canonicalizeEventParts } from "./canonical-event";
import { sanitizeAuditInput } from "./sanitize-audit-input";
import type { TAuditInput, TAuditRecorder } from "./types";
import { log } from "../logger";
import { processMetrics } from "../metrics/process-metrics";

/** Transaction-scoped advisory lock id ("NCDDAUDT"); every writer of the chain takes it. */
export const AUDIT_CHAIN_LOCK_ID = 0x4e43444441554454n;

export type TRecordedAuditEvent = { seq: bigint; at: Date; hash: string; prevHash: string };

/*
 * The audit failure policy, one rule per kind of event:
 * - a change in this database: its audit row is appended in the same transaction (appendAuditEvents), so
 *   the change and its record commit or roll back together;
 * - a read or export of audit data (admin views, exports, verification): recorded before the answer
 *   leaves, and a failed write refuses the request (recordAuditEvent throws) — no unrecorded admin reads;
 * - something that already happened elsewhere (Keycloak, Nextcloud): recordObservedEvent (and, inside
 *   lib/oauth, reportOAuthEvent) logs and counts a failed write and never rewrites the outcome.
 */

/**
 * Appends one event to the hash-chained audit trail. Writers are serialised by a transaction-scoped
 * advisory lock, so concurrent callers (app and worker processes alike) still form one unbroken chain;
 * `at` never goes backwards along `seq`, which lets time filters become seq ranges. Input is redacted
 * before it is hashed or stored.
 */
export async function recordAuditEvent(input: TAuditInput): Promise<TRecordedAuditEvent> {
  const [recorded] = await recordAuditEvents([input]);
  return recorded!;
}

/**
 * Appends several events in order, atomically: one statement (audit_append), so one round trip and a chain
 * lock held only while PostgreSQL links and inserts them. Same guarantees as recordAuditEvent, for callers
 * (a task run, a grouped recorder, a seed) that produce events in bulk.
 */
export async function recordAuditEvents(inputs: TAuditInput[]): Promise<TRecordedAuditEvent[]> {
  if (inputs.length === 0) return [];
  return append(db(), inputs);
}

/**
 * The same append inside the caller's transaction, so a state change and its audit row commit (or roll
 * back) together. The chain lock is held until that transaction ends: keep such transactions short.
 */
export async function appendAuditEvents(tx: Prisma.TransactionClient, inputs: TAuditInput[]): Promise<TRecordedAuditEvent[]> {
  if (inputs.length === 0) return [];
  return append(tx, inputs);
}

// PostgreSQL's audit_append (migration 20261202000200) takes the chain lock (AUDIT_CHAIN_LOCK_ID), reads
// the head, and hashes each event's canonical pieces joined with its time, previous hash and seq.
async function append(client: Prisma.TransactionClient, inputs: TAuditInput[]): Promise<TRecordedAuditEvent[]> {
  const events = inputs.map((input) => {
    const clean = sanitizeAuditInput(input);
    return { ...clean, ...canonicalizeEventParts(clean) };
  });
  const rows = await client.$queryRaw<{ seq: bigint; at: Date; prevHash: string; hash: string }[]>`
    SELECT o_seq AS seq, o_at AS "at", o_prev AS "prevHash", o_hash AS hash FROM audit_append(${JSON.stringify(events)}::jsonb)`;
  return rows.sort((a, b) => (a.seq < b.seq ? -1 : 1));
}

/** The recorder injected into the token module and the worker; same guarantees as recordAuditEvent. */
export const auditRecorder: TAuditRecorder = async (event) => {
  await recordAuditEvent(event);
};

/**
 * For something that already happened outside this database (a sign-in at Keycloak, a logout token, a
 * consent removed through Keycloak's account API): the event is recorded, and a failed write is logged and
 * counted (ncdd_audit_write_failures_total) instead of turning what happened into an error. The same
 * policy lib/oauth applies to its protocol calls (reportOAuthEvent).
 */
export async function recordObservedEvent(input: TAuditInput): Promise<void> {
  try {
    await recordAuditEvent(input);
  } catch (error) {
    processMetrics().auditWriteFailures.inc();
    log.error("could not audit an observed event", { action: input.action, correlationId: input.correlationId, error });
  }
}
