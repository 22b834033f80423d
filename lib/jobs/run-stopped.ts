/** Ends a run early and cleanly: the task or its grant is no longer allowed to act. */
export class RunStopped extends Error {
  constructor(readonly reason: "stopped: access revoked" | "stopped: paused") {
    super(reason);
    this.name = "RunStopped";
  }
}
