import "server-only";
import { env } from "../env";
import { auditRecorder } from "../audit/record-event";
import { getDelegatedToken } from "../grants/get-delegated-token";
import { nextcloudRequest, type TNextcloudRequest } from "../oauth/nextcloud-client";
import { assertRunMayAct } from "./assert-run-may-act";
import { RunStopped } from "./run-stopped";

export type TDelegatedNextcloud = {
  request(req: TNextcloudRequest): Promise<Response>;
  tokenMints(): number;
};

/**
 * Nextcloud as seen by one attempt of a task run: every request first re-checks that the task and its
 * grant may still act and that this attempt still owns the run, then obtains the user-bound token through the shared token module (cached, refreshed or
 * exchanged there) and goes out through the guarded Nextcloud client, which audits it.
 */
export function delegatedNextcloud(input: {
  taskId: string;
  runId: string;
  leaseId: string;
  grantId: string;
  userSub: string;
  correlationId: string;
}): TDelegatedNextcloud {
  let mints = 0;
  const exchange = env().WORKER_TOKEN_EXCHANGE;
  return {
    tokenMints: () => mints,
    async request(req) {
      await assertRunMayAct(input);
      let token;
      try {
        token = await getDelegatedToken({ grantId: input.grantId, recorder: auditRecorder, correlationId: input.correlationId, taskId: input.taskId, exchange });
      } catch (error) {
        // The grant module already recorded a revocation (and stopped the tasks) in its own transaction;
        // a misconfigured worker client fails the run and leaves the grant as it is.
        if ((error as { code?: string }).code === "ConsentRevoked") throw new RunStopped("stopped: access revoked");
        throw error;
      }
      if (token.source !== "cache") mints += 1;
      return nextcloudRequest(token.token, req, {
        recorder: auditRecorder,
        correlationId: input.correlationId,
        subject: input.userSub,
        taskId: input.taskId,
        mechanism: token.source === "exchange" || exchange ? "token-exchange" : "offline-refresh",
      });
    },
  };
}
