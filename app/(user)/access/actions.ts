"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { revokeGrant } from "@/lib/services/grants/revoke-grant";
import { revokeAllGrants } from "@/lib/services/grants/revoke-all-grants";
import { checkGrantHealth } from "@/lib/services/grants/check-grant-health";
import { ZIdSchema } from "@/lib/validation/z-id-schema";

const ZGrantRefSchema = z.object({ grantId: ZIdSchema });

const revoke = authedAction(ZGrantRefSchema, async (ctx, input) => {
  const receipt = await revokeGrant(ctx, input);
  revalidatePath("/access");
  return { keycloak: receipt.keycloak };
});

const revokeAll = authedAction(z.object({}).strict(), async (ctx) => {
  const receipts = await revokeAllGrants(ctx);
  revalidatePath("/access");
  return { revoked: receipts.length, confirmed: receipts.filter((r) => r.keycloak === "confirmed").length };
});

const check = authedAction(ZGrantRefSchema, async (ctx, input) => {
  const result = await checkGrantHealth(ctx, input);
  revalidatePath("/access");
  return result;
});

/** Revoke one grant (server action). */
export async function revokeGrantAction(input: { grantId: string }) {
  return revoke(input);
}

/** Revoke every grant of the caller (server action). */
export async function revokeAllGrantsAction(input?: unknown) {
  return revokeAll(input ?? {});
}

/** Ask Keycloak now whether a grant is still alive (server action). */
export async function checkGrantAction(input: { grantId: string }) {
  return check(input);
}
