import { redact } from "../logger";
import type { THealthCheck } from "./health-types";

/**
 * Runs one check with a deadline and measures it. A failure or timeout becomes `ok: false` with a short
 * message (redacted, credentials in URLs masked, cut to 200 characters) — never a thrown error.
 */
export async function runHealthCheck(name: string, timeoutMs: number, fn: () => Promise<string>): Promise<THealthCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    const detail = await Promise.race([fn(), deadline]);
    return { name, ok: true, latencyMs: elapsed(started), detail };
  } catch (error) {
    return { name, ok: false, latencyMs: elapsed(started), detail: clean(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function clean(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const masked = String(redact(message)).replace(/\/\/[^/@\s]+@/g, "//[redacted]@");
  return masked
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ")
    .slice(0, 200);
}
