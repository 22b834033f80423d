"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { runTierProbes } from "@/lib/services/tiers/run-tier-probes";

/** "Run probes now": every probe, live, through the admin's own grant. */
export const runTierProbesAction = authedAction(z.object({}).strict(), async (ctx) => {
  const probes = await runTierProbes(ctx, { trigger: "on-demand" });
  revalidatePath("/admin/tiers");
  return { probes };
});
