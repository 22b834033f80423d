import { hash } from "node:crypto";
import { canonicalizeEvent as canonicalize, canonicalizeEventReference as canonicalizeReference } from "./canonical-core.mjs";
import type { TSanitizedAuditInput } from "./sanitize-audit-input";

/** The previous-hash of the very first row. */
export const GENESIS_HASH = "0".repeat(64);

/** Exactly what the hash covers: every stored column except `hash` itself. */
export type TChainedContent = TSanitizedAuditInput & { seq: bigint; at: Date | string; prevHash: string };

// The serialisation lives in plain JavaScript so the verifier's worker threads load the very same code.
export { canonicalizeEventParts, isoTime } from "./canonical-core.mjs";

/**
 * The one serialisation of an event that its hash covers: fixed field order, ISO-8601 time with
 * milliseconds, explicit nulls, nested JSON with sorted keys. Writers and the verifier both use it, so a
 * row verifies exactly when none of its stored columns changed.
 */
export function canonicalizeEvent(e: TChainedContent): string {
  return canonicalize(e);
}

/** The reference form canonicalizeEvent must equal (kept for the equivalence test). */
export function canonicalizeEventReference(e: TChainedContent): string {
  return canonicalizeReference(e);
}

/** SHA-256 (hex) of the canonical form; it includes `prevHash`, which is what links the chain. */
export function hashEvent(e: TChainedContent): string {
  return hash("sha256", canonicalizeEvent(e), "hex");
}
