import "server-only";
import type { Prisma } from "@prisma/client";
import { auditRecorder, recordAuditEvents } from "../../audit/record-event";
import type { TAuditInput } from "../../audit/types";
import { db } from "../../db";
import { AppError } from "../../errors";
import { log, redact } from "../../logger";
import type { TCtx } from "../context";
import { describeProviderError } from "./describe-provider-error";
import { findProbeGrant } from "./find-probe-grant";
import { listTierProbes } from "./list-tier-probes";
import { probeActDelegation } from "./probe-act-delegation";
import { probeBasicAuthTier } from "./probe-basic-auth-tier";
import { probeImpersonationTier } from "./probe-impersonation-tier";
import { probeOfflineAccess } from "./probe-offline-access";
import { probeServiceAccounts } from "./probe-service-accounts";
import { probeTokenExchangeTier } from "./probe-token-exchange-tier";
import { probeAppPasswordTier } from "./probe-app-password-tier";
import { probeNextcloudImpersonateApp, probeNextcloudOidcProvider } from "./probe-nextcloud-apps";
import { nextcloudAccountOf } from "../../nextcloud/nextcloud-account-of";
import type { TTierMechanism, TTierProbeResult, TTierProbeView } from "./tier-types";

export type TRunTierProbesOptions = {
  /** "on-demand" always runs (after any run in progress); "schedule" skips when one is already running. */
  trigger?: "on-demand" | "schedule";
};

let inFlight: Promise<TTierProbeView[]> | null = null;

const OUTCOME: Record<TTierProbeResult["status"], TAuditInput["outcome"]> = {
  works: "success",
  rejected_by_policy: "success",
  not_detected: "success",
  not_configured: "success",
  refused: "refused",
  failing: "failure",
  needs_probe_grant: "pending",
  not_checked: "pending",
};

/** A probe that threw is shown as failing with the (redacted) reason, so one bad probe never hides the others. */
async function guard(mechanism: TTierMechanism, run: () => Promise<TTierProbeResult>): Promise<TTierProbeResult> {
  try {
    return await run();
  } catch (err) {
    return {
      mechanism,
      status: "failing",
      evidence: { request: "probe", response: describeProviderError(err).response },
      fix: "The probe itself failed; see the answer above.",
    };
  }
}

async function runAll(ctx: TCtx): Promise<TTierProbeView[]> {
  const call = { recorder: auditRecorder, correlationId: ctx.correlationId, subject: ctx.userSub };
  const grant = await findProbeGrant(ctx);
  const results: TTierProbeResult[] = [await guard("tier0-basic-auth", probeBasicAuthTier)];

  const offline = await probeOfflineAccess(grant, call).catch(async (err: unknown) => ({
    token: null,
    result: await guard("offline-access", () => Promise.reject(err instanceof Error ? err : new Error(String(err)))),
  }));
  results.push(offline.result);
  results.push(await guard("tier1-impersonation", () => probeImpersonationTier(offline.token, call)));
  const exchange = await probeTokenExchangeTier(offline.token, grant, call, nextcloudAccountOf(ctx)).catch(async (err: unknown) => ({
    claims: null,
    result: await guard("tier2-token-exchange", () => Promise.reject(err instanceof Error ? err : new Error(String(err)))),
  }));
  results.push(exchange.result);
  results.push(probeActDelegation({ claims: exchange.claims, status: exchange.result.status }));
  results.push(await guard("service-accounts", () => probeServiceAccounts(call)));
  results.push(await guard("app-password", () => probeAppPasswordTier(ctx, call)));
  results.push(await guard("nextcloud-oidc-provider", probeNextcloudOidcProvider));
  results.push(await guard("nextcloud-impersonate-app", probeNextcloudImpersonateApp));

  const checkedAt = new Date();
  for (const r of results) {
    // Last line of defence: nothing JWT-shaped or credential-named can reach the cache.
    const evidence = redact(r.evidence) as Prisma.InputJsonValue;
    await db().tierProbe.upsert({
      where: { mechanism: r.mechanism },
      create: { mechanism: r.mechanism, status: r.status, checkedAt, evidence, fix: r.fix },
      update: { status: r.status, checkedAt, evidence, fix: r.fix },
    });
  }
  await recordAuditEvents(
    results.map((r) => ({
      actor: ctx.userSub,
      actorType: "admin",
      subject: ctx.userSub,
      action: "tier.probe",
      resource: `tier:${r.mechanism}`,
      outcome: OUTCOME[r.status],
      errorCode: /^([a-z_]+):/.exec(r.evidence.response)?.[1] ?? null,
      correlationId: ctx.correlationId,
      mechanism: r.mechanism,
      details: { status: r.status, probeGrantId: grant?.id ?? null, warning: r.evidence.warning ?? null },
    })),
  );
  return (await listTierProbes(ctx)).probes;
}

/**
 * Runs every delegation-mechanism probe live against Keycloak (and Nextcloud for Tier 0), caches the
 * results in TierProbe and records one "tier.probe" audit event per mechanism. Admin-only (a refused
 * attempt is audited). Probes act only through the caller's own grant. At most one run at a time per
 * process: an on-demand run waits for a running one and then runs afresh, so its results always
 * reflect the realm as it is after the click; a scheduled run is skipped while another runs.
 */
export async function runTierProbes(ctx: TCtx, options: TRunTierProbesOptions = {}): Promise<TTierProbeView[]> {
  if (!ctx.isAdmin) {
    await recordAuditEvents([
      {
        actor: ctx.userSub,
        actorType: "user",
        action: "tier.probe",
        resource: "tier:*",
        outcome: "refused",
        correlationId: ctx.correlationId,
      },
    ]);
    throw new AppError("Forbidden", "Only admins can run the tier probes.");
  }
  if (inFlight) {
    if (options.trigger === "schedule") return inFlight;
    await inFlight.catch(() => undefined);
  }
  const run = runAll(ctx).finally(() => {
    if (inFlight === run) inFlight = null;
  });
  inFlight = run;
  return run.catch((err: unknown) => {
    log.error("tier probes failed", { err, correlationId: ctx.correlationId });
    throw err;
  });
}
