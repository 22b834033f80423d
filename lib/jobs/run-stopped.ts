/**
 * How a stop was found: a pushed notice ("notice": the grant was heard revoked, or a task notice heard while
 * a request was in flight made the run ask the database right after its answer), the per-request database
 * check ("check", the backstop), or the token module refusing a grant that is no longer active ("token").
 */
export type TStopDetectedBy = "notice" | "check" | "token";

/** Ends a run early and cleanly: the task or its grant is no longer allowed to act. */
export class RunStopped extends Error {
  constructor(
    readonly reason: "stopped: access revoked" | "stopped: paused",
    readonly detectedBy: TStopDetectedBy = "check",
  ) {
    super(reason);
    this.name = "RunStopped";
  }
}
