import "server-only";
import { env } from "../env";
import { getDelegatedToken } from "../grants/get-delegated-token";
import { getAppPasswordCredential, grantMechanismOf, type TGrantMechanism } from "../grants/get-app-password-credential";
import { checkGrants } from "../grants/check-grants";
import { nextcloudAppPasswordRequest } from "../nextcloud/app-password-request";
import { workerClient } from "../oauth/get-oidc-config";
import { nextcloudRequest, type TNextcloudRequest } from "../oauth/nextcloud-client";
import { assertNoStopHeardSince, assertRunMayAct } from "./assert-run-may-act";
import { RunStopped } from "./run-stopped";
import { workerAuditRecorder } from "./grouped-audit-recorder";
import { createRunPhaseClock, type TRunPhaseClock } from "./run-phase-clock";

export type TDelegatedNextcloud = {
  request(req: TNextcloudRequest): Promise<Response>;
  tokenMints(): number;
};

/**
 * Nextcloud as seen by one attempt of a task run: every request first re-checks that the task and its
 * grant may still act and that this attempt still owns the run, then obtains the user-bound token through the shared token module (cached, refreshed or
 * exchanged there) and goes out through the guarded Nextcloud client, which audits it. A revocation heard
 * while a request is in flight stops the run as soon as that request's answer is recorded: the answer of
 * a request already sent is never dropped (the feed shows it before the run's stop), and no further one leaves.
 * An app-password grant goes out with the person's app password instead (guarded and audited the same
 * way, mechanism "app-password"); a 401 to it asks the grant's health check at once, so a device removed
 * in Nextcloud stops the grant and its tasks as a refusal at Keycloak does.
 */
export function delegatedNextcloud(input: {
  taskId: string;
  runId: string;
  leaseId: string;
  grantId: string;
  userSub: string;
  correlationId: string;
  /** Where the run's time goes (lib/jobs/run-phase-clock.ts); a fresh clock when not given. */
  clock?: TRunPhaseClock;
}): TDelegatedNextcloud {
  let mints = 0;
  const exchange = env().WORKER_TOKEN_EXCHANGE;
  const clock = input.clock ?? createRunPhaseClock();
  const recorder = clock.recorder(workerAuditRecorder());
  let mechanism: Promise<TGrantMechanism> | null = null;
  // Opened once per attempt: assertRunMayAct re-checks the grant before every request anyway.
  let appPassword: Awaited<ReturnType<typeof getAppPasswordCredential>> | null = null;
  return {
    tokenMints: () => mints,
    async request(req) {
      const checkedAt = performance.now();
      await clock.time("check", () => assertRunMayAct(input));
      mechanism ??= grantMechanismOf(input.grantId);
      if ((await mechanism) === "app_password") {
        try {
          appPassword ??= await clock.time("token", () => getAppPasswordCredential(input.grantId));
        } catch (error) {
          if ((error as { code?: string }).code === "ConsentRevoked") throw new RunStopped("stopped: access revoked", "token");
          throw error;
        }
        const credential = appPassword;
        const res = await clock.time("nextcloud", () =>
          nextcloudAppPasswordRequest(credential.credential, req, {
            recorder,
            correlationId: input.correlationId,
            subject: input.userSub,
            taskId: input.taskId,
            actor: workerClient().clientId,
            expectedLoginName: credential.expectedLoginName,
          }),
        );
        if (res.status === 401 && (await checkGrants([input.grantId], input.correlationId)).revoked > 0) {
          throw new RunStopped("stopped: access revoked", "check");
        }
        try {
          await clock.time("check", () => assertNoStopHeardSince(input, checkedAt));
        } catch (error) {
          await res.arrayBuffer().catch(() => undefined);
          throw error;
        }
        return res;
      }
      let token;
      try {
        token = await clock.time("token", () =>
          getDelegatedToken({ grantId: input.grantId, recorder, correlationId: input.correlationId, taskId: input.taskId, exchange }),
        );
      } catch (error) {
        // The grant module already recorded a revocation (and stopped the tasks) in its own transaction;
        // a misconfigured worker client fails the run and leaves the grant as it is.
        if ((error as { code?: string }).code === "ConsentRevoked") throw new RunStopped("stopped: access revoked", "token");
        throw error;
      }
      if (token.source !== "cache") mints += 1;
      const res = await clock.time("nextcloud", () =>
        nextcloudRequest(token.token, req, {
          recorder,
          correlationId: input.correlationId,
          subject: input.userSub,
          taskId: input.taskId,
          mechanism: token.source === "exchange" || exchange ? "token-exchange" : "offline-refresh",
        }),
      );
      try {
        await clock.time("check", () => assertNoStopHeardSince(input, checkedAt));
      } catch (error) {
        await res.body?.cancel().catch(() => undefined);
        throw error;
      }
      return res;
    },
  };
}
