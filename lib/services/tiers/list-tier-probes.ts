import "server-only";
import { db } from "../../db";
import { env } from "../../env";
import { AppError } from "../../errors";
import type { TCtx } from "../context";
import { TIER_MECHANISMS, type TTierEvidence, type TTierMechanism, type TTierProbeView, type TTierStatus } from "./tier-types";

export type TTierProbeList = {
  probes: TTierProbeView[];
  /** True when any mechanism was never checked or was checked longer ago than the schedule allows. */
  stale: boolean;
  intervalSeconds: number;
};

/**
 * The cached tier status, one row per mechanism in a fixed order (unchecked ones included), as plain
 * JSON for the page and its polling endpoint. Admin-only. Says whether the schedule is due, so the
 * caller can start a run without waiting for a click.
 */
export async function listTierProbes(ctx: TCtx): Promise<TTierProbeList> {
  if (!ctx.isAdmin) throw new AppError("Forbidden", "Only admins can see the tier status.");
  const intervalSeconds = env().TIER_PROBE_INTERVAL_SECONDS;
  const rows = await db().tierProbe.findMany();
  const byMechanism = new Map(rows.map((r) => [r.mechanism, r]));
  const dueBefore = Date.now() - intervalSeconds * 1000;
  let stale = false;
  const probes = TIER_MECHANISMS.map((mechanism: TTierMechanism): TTierProbeView => {
    const row = byMechanism.get(mechanism);
    if (!row || row.checkedAt.getTime() < dueBefore) stale = true;
    if (!row)
      return { mechanism, status: "not_checked", checkedAt: null, evidence: { request: "—", response: "not checked yet" }, fix: null };
    return {
      mechanism,
      status: row.status as TTierStatus,
      checkedAt: row.checkedAt.toISOString(),
      evidence: row.evidence as TTierEvidence,
      fix: row.fix,
    };
  });
  return { probes, stale, intervalSeconds };
}
