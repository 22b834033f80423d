/** Types of canonical-core.mjs (see there); canonical-event.ts narrows the event type. */
export declare const isoTime: (at: Date | string) => string;
export declare function stableJson(value: unknown): string;
export declare function canonicalizeEvent(e: CanonicalInput): string;
export declare function canonicalizeEventReference(e: CanonicalInput): string;
/** The canonical form minus the time, the previous hash and the seq (see canonical-core.mjs). */
export declare function canonicalizeEventParts(e: Omit<CanonicalInput, "seq" | "at" | "prevHash">): {
  c0: string;
  c1: string;
  c2: string;
  c3: string;
};
/** Every field the hash covers; seq as a bigint or its decimal text. */
export type CanonicalInput = {
  seq: bigint | string;
  at: Date | string;
  actor: string;
  actorType: string;
  subject?: string | null;
  actChain?: unknown;
  action: string;
  resource?: string | null;
  outcome: string;
  errorCode?: string | null;
  taskId?: string | null;
  correlationId: string;
  mechanism?: string | null;
  details?: unknown;
  prevHash: string;
};
