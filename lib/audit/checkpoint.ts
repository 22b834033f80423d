import { createHash, sign, verify } from "node:crypto";
import { z } from "zod";
import type { TCheckpointKey } from "./audit-config";

export const CHECKPOINT_TYPE = "ncdd-audit-checkpoint/v1";

/**
 * A signed statement "the audit trail had `count` rows, ending at `headSeq` whose hash is `headHash`, at
 * time `at`", chained to the checkpoint before it (`prev` = its digest), like a CloudTrail digest or a
 * transparency-log checkpoint. Anyone holding a public key can check it; nobody without the private key
 * (which never enters the database) can forge one.
 */
export const ZCheckpointSchema = z
  .object({
    type: z.literal(CHECKPOINT_TYPE),
    count: z.string().regex(/^\d{1,19}$/),
    headSeq: z.string().regex(/^\d{1,19}$/),
    headHash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.iso.datetime(),
    prev: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    kid: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  })
  .strict();

export type TCheckpoint = z.infer<typeof ZCheckpointSchema>;
export type TCheckpointBody = Omit<TCheckpoint, "type" | "kid" | "sig">;

/** The exact bytes that are signed: one field per line, fixed order (no JSON ambiguity). */
export function checkpointSignedText(cp: Omit<TCheckpoint, "sig">): string {
  return [cp.type, cp.count, cp.headSeq, cp.headHash, cp.at, cp.prev ?? "-", cp.kid, ""].join("\n");
}

/** SHA-256 of a checkpoint's signed text plus signature: what the next checkpoint's `prev` names. */
export function checkpointDigest(cp: TCheckpoint): string {
  return createHash("sha256").update(checkpointSignedText(cp)).update(cp.sig).digest("hex");
}

/** Signs a checkpoint body with an Ed25519 key that has its private half. */
export function signCheckpoint(body: TCheckpointBody, key: TCheckpointKey): TCheckpoint {
  if (!key.privateKey) throw new Error(`checkpoint key "${key.kid}" has no private key`);
  const unsigned = { type: CHECKPOINT_TYPE, ...body, kid: key.kid } as const;
  const sig = sign(null, Buffer.from(checkpointSignedText(unsigned)), key.privateKey).toString("base64");
  return { ...unsigned, sig };
}

export type TCheckpointCheck = { ok: true; checkpoint: TCheckpoint } | { ok: false; reason: string };

/**
 * Parses untrusted input as a checkpoint and checks its Ed25519 signature against the configured keys.
 * Never throws: a malformed, unsigned or unknown-key checkpoint is a reason, not an exception.
 */
export function checkCheckpoint(input: unknown, keys: TCheckpointKey[]): TCheckpointCheck {
  const parsed = ZCheckpointSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "not a well-formed audit checkpoint" };
  const cp = parsed.data;
  const key = keys.find((k) => k.kid === cp.kid);
  if (!key)
    return {
      ok: false,
      reason: `signed with key "${cp.kid}", which is not configured (AUDIT_CHECKPOINT_KEYS / AUDIT_CHECKPOINT_PUBLIC_KEYS)`,
    };
  const good = verify(null, Buffer.from(checkpointSignedText(cp)), key.publicKey, Buffer.from(cp.sig, "base64"));
  return good
    ? { ok: true, checkpoint: cp }
    : { ok: false, reason: `signature does not verify with key "${cp.kid}" (the checkpoint was altered or forged)` };
}
