"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { revokeGrant, ZRevokeGrantSchema } from "@/lib/services/grants/revoke-grant";
import { revokeAllGrants } from "@/lib/services/grants/revoke-all-grants";
import { checkGrantHealth, ZCheckGrantSchema } from "@/lib/services/grants/check-grant-health";

const revoke = authedAction(ZRevokeGrantSchema, async (ctx, input) => {
  const receipt = await revokeGrant(ctx, input);
  revalidatePath("/access");
  return { keycloak: receipt.keycloak };
});

const revokeAll = authedAction(z.object({}), async (ctx) => {
  const receipts = await revokeAllGrants(ctx);
  revalidatePath("/access");
  return { revoked: receipts.length, confirmed: receipts.filter((r) => r.keycloak === "confirmed").length };
});

const check = authedAction(ZCheckGrantSchema, async (ctx, input) => {
  const result = await checkGrantHealth(ctx, input);
  revalidatePath("/access");
  return result;
});

/** Revoke one grant (server action). */
export async function revokeGrantAction(input: { grantId: string }) {
  return revoke(input);
}

/** Revoke every grant of the caller (server action). */
export async function revokeAllGrantsAction() {
  return revokeAll({});
}

/** Ask Keycloak now whether a grant is still alive (server action). */
export async function checkGrantAction(input: { grantId: string }) {
  return check(input);
}
