/** One readiness check: its name, whether it passed, how long it took, and a short non-secret detail. */
export type THealthCheck = { name: string; ok: boolean; latencyMs: number; detail: string };

/** What a readiness endpoint answers (HTTP 200 when ready, 503 otherwise). */
export type THealthReport = { status: "ready" | "unready"; checks: THealthCheck[] };
