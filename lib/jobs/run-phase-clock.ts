import type { TAuditRecorder } from "../audit/types";

export type TRunPhase = "check" | "token" | "nextcloud" | "audit";

export type TRunPhaseClock = {
  /** Runs `work` as `phase`; time spent in a phase nested inside it (an audit write) counts only there. */
  time<T>(phase: TRunPhase, work: () => Promise<T>): Promise<T>;
  /** The recorder that counts its writes as "audit". */
  recorder(inner: TAuditRecorder): TAuditRecorder;
  spentMs(): Record<TRunPhase, number>;
};

/**
 * Where one run's time goes, in exclusive milliseconds per phase (the per-request check, the token module,
 * Nextcloud, audit writes); the rest of a run's duration is its own database work and code. Fed to
 * the ncdd_task_run_phase_seconds_total counter, which is how operators and bench/worker.bench.ts see it.
 */
export function createRunPhaseClock(): TRunPhaseClock {
  const spent: Record<TRunPhase, number> = { check: 0, token: 0, nextcloud: 0, audit: 0 };
  const open: { phase: TRunPhase; since: number }[] = [];
  const time = async <T>(phase: TRunPhase, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const outer = open.at(-1);
    if (outer) spent[outer.phase] += start - outer.since;
    const frame = { phase, since: start };
    open.push(frame);
    try {
      return await work();
    } finally {
      const end = performance.now();
      spent[phase] += end - frame.since;
      open.splice(open.indexOf(frame), 1);
      const resumed = open.at(-1);
      if (resumed) resumed.since = end;
    }
  };
  return {
    time,
    recorder: (inner) => (event) => time("audit", () => inner(event)),
    spentMs: () => ({ ...spent }),
  };
}
