"use server";

import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { signAuditCheckpoint } from "@/lib/services/audit/sign-audit-checkpoint";

/** "Sign checkpoint now": signs the trail's current head, or says why it refused. */
export const signAuditCheckpointAction = authedAction(z.object({}).strict(), async (ctx) => {
  const result = await signAuditCheckpoint(ctx);
  return { status: result.status, reason: "reason" in result ? result.reason : null, headSeq: result.checkpoint?.headSeq ?? null };
});
