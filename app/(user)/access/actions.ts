"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import { revokeGrant, ZRevokeGrantSchema } from "@/lib/services/grants/revoke-grant";
import { revokeAllGrants, ZRevokeAllGrantsSchema } from "@/lib/services/grants/revoke-all-grants";
import { checkGrantHealth, ZCheckGrantSchema } from "@/lib/services/grants/check-grant-health";

/** Revoke one grant; `deleteData` also deletes what the tasks collected. */
export const revokeGrantAction = authedAction(ZRevokeGrantSchema, async (ctx, input) => {
  const receipt = await revokeGrant(ctx, input);
  revalidatePath("/access");
  return { keycloak: receipt.keycloak, consent: receipt.consent.state, deleted: receipt.data?.deleted ?? null };
});

/** Revoke every grant of the caller. */
export const revokeAllGrantsAction = authedAction(ZRevokeAllGrantsSchema, async (ctx, input) => {
  const receipts = await revokeAllGrants(ctx, input);
  revalidatePath("/access");
  return { revoked: receipts.length, confirmed: receipts.filter((r) => r.keycloak === "confirmed").length };
});

/** Ask Keycloak now whether a grant is still alive. */
export const checkGrantAction = authedAction(ZCheckGrantSchema, async (ctx, input) => {
  const result = await checkGrantHealth(ctx, input);
  revalidatePath("/access");
  return result;
});
