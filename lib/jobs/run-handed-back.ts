/**
 * Ends an attempt without finishing its run. "worker stopping": this process is shutting down and the
 * run goes back to the queue for another worker. "lease lost": another attempt owns the run now, so
 * this one must not touch it again.
 */
export class RunHandedBack extends Error {
  constructor(readonly reason: "worker stopping" | "lease lost") {
    super(reason);
    this.name = "RunHandedBack";
  }
}
