"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import { revokeGrant, ZRevokeGrantSchema } from "@/lib/services/grants/revoke-grant";
import { revokeAllGrants, ZRevokeAllGrantsSchema } from "@/lib/services/grants/revoke-all-grants";
import { checkGrantHealth, ZCheckGrantSchema } from "@/lib/services/grants/check-grant-health";

const revoke = authedAction(ZRevokeGrantSchema, async (ctx, input) => {
  const receipt = await revokeGrant(ctx, input);
  revalidatePath("/access");
  return { keycloak: receipt.keycloak, consent: receipt.consent.state, deleted: receipt.data?.deleted ?? null };
});

const revokeAll = authedAction(ZRevokeAllGrantsSchema, async (ctx, input) => {
  const receipts = await revokeAllGrants(ctx, input);
  revalidatePath("/access");
  return { revoked: receipts.length, confirmed: receipts.filter((r) => r.keycloak === "confirmed").length };
});

const check = authedAction(ZCheckGrantSchema, async (ctx, input) => {
  const result = await checkGrantHealth(ctx, input);
  revalidatePath("/access");
  return result;
});

/** Revoke one grant (server action); `deleteData` also deletes what the tasks collected. */
export async function revokeGrantAction(input: { grantId: string; deleteData?: boolean }) {
  return revoke(input);
}

/** Revoke every grant of the caller (server action). */
export async function revokeAllGrantsAction(input: { deleteData?: boolean } = {}) {
  return revokeAll(input);
}

/** Ask Keycloak now whether a grant is still alive (server action). */
export async function checkGrantAction(input: { grantId: string }) {
  return check(input);
}
