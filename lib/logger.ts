/**
 * One structured JSON logger. Fields whose names look like credentials are replaced before anything is
 * written, and string values that look like JWTs are masked, so a careless call cannot leak a token.
 */
const REDACT_KEY = /(token|secret|password|authorization|cookie|code_verifier|assertion|credential|^code$)/i;
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type TLevel = keyof typeof LEVELS;

/** Removes credential-looking fields and JWT-looking strings from any value before it is logged or stored. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (typeof value === "string") return value.replace(JWT_LIKE, "[redacted-jwt]");
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, REDACT_KEY.test(k) && mayHoldSecret(v) ? "[redacted]" : redact(v, depth + 1)]),
    );
  }
  return value;
}

/** A flag or a count under a credential-like name (`tokenExchange: true`, `tokenMints: 3`) is no secret. */
function mayHoldSecret(value: unknown): boolean {
  return typeof value !== "boolean" && typeof value !== "number" && value !== null && value !== undefined;
}

function write(level: TLevel, msg: string, fields?: Record<string, unknown>) {
  const min = LEVELS[(process.env.LOG_LEVEL as TLevel) ?? "info"] ?? LEVELS.info;
  if (LEVELS[level] < min) return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg: redact(msg), ...(redact(fields ?? {}) as object) });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (msg: string, f?: Record<string, unknown>) => write("debug", msg, f),
  info: (msg: string, f?: Record<string, unknown>) => write("info", msg, f),
  warn: (msg: string, f?: Record<string, unknown>) => write("warn", msg, f),
  error: (msg: string, f?: Record<string, unknown>) => write("error", msg, f),
};
