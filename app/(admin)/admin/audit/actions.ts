"use server";

import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { signAuditCheckpoint } from "@/lib/services/audit/sign-audit-checkpoint";

const sign = authedAction(z.object({}), async (ctx) => {
  const result = await signAuditCheckpoint(ctx);
  return { status: result.status, reason: "reason" in result ? result.reason : null, headSeq: result.checkpoint?.headSeq ?? null };
});

/** "Sign checkpoint now" (server action): signs the trail's current head, or says why it refused. */
export async function signAuditCheckpointAction() {
  return sign({});
}
