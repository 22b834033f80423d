"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { revokeGrant } from "@/lib/services/grants/revoke-grant";
import { revokeAllGrants } from "@/lib/services/grants/revoke-all-grants";
import { checkGrantHealth } from "@/lib/services/grants/check-grant-health";
import { ZIdSchema } from "@/lib/validation/z-id-schema";

const ZGrantRefSchema = z.object({ grantId: ZIdSchema }).strict();
const ZRevokeSchema = z.object({ grantId: ZIdSchema, deleteData: z.boolean().optional() }).strict();
const ZRevokeAllSchema = z.object({ deleteData: z.boolean().optional() }).strict();

const revoke = authedAction(ZRevokeSchema, async (ctx, input) => {
  const receipt = await revokeGrant(ctx, input);
  revalidatePath("/access");
  return { keycloak: receipt.keycloak, consent: receipt.consent.state, deleted: receipt.data?.deleted ?? null };
});

const revokeAll = authedAction(ZRevokeAllSchema, async (ctx, input) => {
  const receipts = await revokeAllGrants(ctx, input);
  revalidatePath("/access");
  return { revoked: receipts.length, confirmed: receipts.filter((r) => r.keycloak === "confirmed").length };
});

const check = authedAction(ZGrantRefSchema, async (ctx, input) => {
  const result = await checkGrantHealth(ctx, input);
  revalidatePath("/access");
  return result;
});

/** Revoke one grant (server action); `deleteData` also deletes what the tasks collected. */
export async function revokeGrantAction(input: unknown) {
  return revoke(input);
}

/** Revoke every grant of the caller (server action). */
export async function revokeAllGrantsAction(input?: unknown) {
  return revokeAll(input ?? {});
}

/** Ask Keycloak now whether a grant is still alive (server action). */
export async function checkGrantAction(input: unknown) {
  return check(input);
}
