import "server-only";
import { db } from "../../db";
import { tasksReachableBy, type TTaskType } from "../../tasks/task-catalog";
import type { TCtx } from "../context";

export type TGrantView = {
  id: string;
  /** offline_access: Keycloak offline token (OAuth delegation); app_password: a Nextcloud app password (Login Flow v2). */
  mechanism: "offline_access" | "app_password";
  /** app_password only: the Nextcloud account it signs in as. */
  nextcloudLoginName: string | null;
  scopes: string[];
  tasksCovered: TTaskType[];
  status: "active" | "revoking" | "revoked" | "revoked_at_provider";
  grantedAt: string;
  lastUsedAt: string | null;
  idleExpiresAt: string | null;
  maxExpiresAt: string | null;
  health: { ok: boolean | null; checkedAt: string | null; message: string | null };
  revokedAt: string | null;
  revokeReason: string | null;
  taskCount: number;
  revocation: null | {
    id: string;
    state: "waiting" | "confirmed";
    requestedAt: string;
    confirmedAt: string | null;
    attempts: number;
    lastError: string | null;
    proof: string | null;
    consent: { state: "removed" | "not_removed" | "unknown"; at: string | null; proof: string | null; error: string | null };
    data: { deleted: { notes: number; files: number }; kept: string[] } | null;
  };
};

/** The caller's grants, newest first, as plain JSON-safe data for the page and its polling endpoint. */
export async function listGrants(ctx: TCtx): Promise<TGrantView[]> {
  const grants = await db().grant.findMany({
    where: { userSub: ctx.userSub },
    orderBy: { grantedAt: "desc" },
    include: {
      revocations: { where: { purpose: "grant" }, orderBy: { requestedAt: "desc" }, take: 1 },
      _count: { select: { tasks: { where: { status: { not: "revoked" } } } } },
    },
  });
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return grants.map((g) => {
    const r = g.revocations[0];
    return {
      id: g.id,
      mechanism: g.mechanism,
      nextcloudLoginName: g.nextcloudLoginName,
      scopes: g.scopes,
      tasksCovered: tasksReachableBy(g),
      status: g.status,
      grantedAt: g.grantedAt.toISOString(),
      lastUsedAt: iso(g.lastUsedAt),
      idleExpiresAt: iso(g.idleExpiresAt),
      maxExpiresAt: iso(g.maxExpiresAt),
      health: { ok: g.lastRefreshOk, checkedAt: iso(g.lastRefreshAt), message: g.lastError },
      revokedAt: iso(g.revokedAt),
      revokeReason: g.revokeReason,
      taskCount: g._count.tasks,
      revocation: r
        ? {
            id: r.id,
            state: r.status === "confirmed" ? "confirmed" : "waiting",
            requestedAt: r.requestedAt.toISOString(),
            confirmedAt: iso(r.confirmedAt),
            attempts: r.attempts,
            lastError: r.lastError,
            proof: r.proof,
            consent: {
              state: r.consentRemovedAt ? "removed" : r.consentError ? "not_removed" : "unknown",
              at: iso(r.consentRemovedAt),
              proof: r.consentProof,
              error: r.consentError,
            },
            data: (r.dataDisposition as { deleted: { notes: number; files: number }; kept: string[] } | null) ?? null,
          }
        : null,
    };
  });
}
