"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { runTierProbes } from "@/lib/services/tiers/run-tier-probes";

const run = authedAction(z.object({}).strict(), async (ctx) => {
  const probes = await runTierProbes(ctx, { trigger: "on-demand" });
  revalidatePath("/admin/tiers");
  return { probes };
});

/** "Run probes now" (server action): every probe, live, through the admin's own grant. */
export async function runTierProbesAction(input?: unknown) {
  return run(input ?? {});
}
