import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { log, redact } from "../logger";
import { fakeJwt } from "@/test/fake-jwt";

/**
 * What lib/logger.ts really writes: process.stdout / process.stderr are captured (the logger's only way
 * out), every line must be JSON, and no credential may appear in it, whatever field or message carries it.
 */
const JWT = fakeJwt();
const REFRESH = "opaque-refresh-7f3a9c1e-not-a-jwt-but-secret";
const CLIENT_SECRET = "worker-local-dev-secret-value";
const PASSWORD = "hunter2-correct-horse";
const COOKIE = "next-auth.session-token=abc123cookievalue";
const SECRETS = [JWT, JWT.split(".")[0]!, REFRESH, CLIENT_SECRET, PASSWORD, "abc123cookievalue", "verifier-xyz-123", "authcode-456"];

let out: { stream: "stdout" | "stderr"; text: string }[];
const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
const savedLevel = process.env.LOG_LEVEL;

beforeEach(() => {
  out = [];
  for (const stream of ["stdout", "stderr"] as const) {
    process[stream].write = (chunk: string | Uint8Array) => {
      out.push({ stream, text: typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8") });
      return true;
    };
  }
  process.env.LOG_LEVEL = "debug";
});

afterEach(() => {
  process.stdout.write = originals.stdout;
  process.stderr.write = originals.stderr;
  if (savedLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = savedLevel;
});

const written = () => out.map((o) => o.text).join("");
const lines = () =>
  written()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the logger's real output", () => {
  it("writes no token, secret or password, in fields, nested objects, arrays, errors or the message", () => {
    log.info(`refreshed with ${JWT}`, {
      access_token: JWT,
      refreshToken: REFRESH,
      clientSecret: CLIENT_SECRET,
      password: PASSWORD,
      headers: { Authorization: `Bearer ${REFRESH}`, cookie: COOKIE },
      code: "authcode-456",
      code_verifier: "verifier-xyz-123",
      nested: { deeper: { list: [JWT, { id_token: JWT }] }, note: `token was ${JWT}` },
      credentials: { user: "alice", pass: PASSWORD },
      client_assertion: JWT,
    });
    log.error("refresh failed", { error: new Error(`invalid_grant for ${JWT}`) });
    log.warn("retrying", { body: { refresh_token: REFRESH } });
    const text = written();
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    const [info, error, warn] = lines();
    expect(info).toMatchObject({
      level: "info",
      msg: "refreshed with [redacted-jwt]",
      access_token: "[redacted]",
      refreshToken: "[redacted]",
      clientSecret: "[redacted]",
      password: "[redacted]",
      headers: { Authorization: "[redacted]", cookie: "[redacted]" },
      code: "[redacted]",
      code_verifier: "[redacted]",
      nested: { deeper: { list: ["[redacted-jwt]", { id_token: "[redacted]" }] }, note: "token was [redacted-jwt]" },
      credentials: "[redacted]",
      client_assertion: "[redacted]",
    });
    expect(error).toMatchObject({
      level: "error",
      msg: "refresh failed",
      error: { name: "Error", message: "invalid_grant for [redacted-jwt]" },
    });
    expect(warn).toMatchObject({ level: "warn", body: { refresh_token: "[redacted]" } });
  });

  it("keeps what is not a credential, and stamps each line with a time", () => {
    log.info("task ran", { taskId: "t-1", items: 3, ok: true, user: "alice", codeName: "kept", list: [1, "two"] });
    const [line] = lines();
    expect(line).toMatchObject({ level: "info", msg: "task ran", taskId: "t-1", items: 3, ok: true, user: "alice", list: [1, "two"] });
    expect(Date.parse(String(line!.t))).not.toBeNaN();
    expect(line!.codeName).toBe("kept");
  });

  it("redacts only a field named exactly `code` (the OAuth authorization code), not every name ending in code", () => {
    log.info("refused", { errorCode: "invalid_grant", statusCode: 400, code: "authcode-456" });
    expect(lines()[0]).toMatchObject({ errorCode: "invalid_grant", statusCode: 400, code: "[redacted]" });
  });

  it("writes warnings and errors to stderr, the rest to stdout, one JSON line each", () => {
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(out.map((o) => `${o.stream}:${JSON.parse(o.text).msg}`)).toEqual(["stdout:d", "stdout:i", "stderr:w", "stderr:e"]);
    expect(out.every((o) => o.text.endsWith("\n") && o.text.indexOf("\n") === o.text.length - 1)).toBe(true);
  });

  it("drops lines below LOG_LEVEL, and falls back to info for an unknown level", () => {
    process.env.LOG_LEVEL = "warn";
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines().map((l) => l.msg)).toEqual(["w", "e"]);
    out = [];
    process.env.LOG_LEVEL = "error";
    log.warn("w");
    log.error("e");
    expect(lines().map((l) => l.msg)).toEqual(["e"]);
    out = [];
    process.env.LOG_LEVEL = "shouting";
    log.debug("d");
    log.info("i");
    expect(lines().map((l) => l.msg)).toEqual(["i"]);
    out = [];
    delete process.env.LOG_LEVEL;
    log.debug("d");
    log.info("i");
    expect(lines().map((l) => l.msg)).toEqual(["i"]);
  });
});

describe("redact", () => {
  it("stops at a fixed depth instead of recursing forever, and leaves plain values alone", () => {
    type TNest = { next?: TNest; v?: string };
    const deep: TNest = {};
    let cur = deep;
    for (let i = 0; i < 10; i += 1) cur = cur.next = {};
    cur.v = JWT;
    expect(JSON.stringify(redact(deep))).not.toContain("eyJ");
    expect(JSON.stringify(redact(deep))).toContain('"[depth]"');
    expect(redact({ a: { b: { c: { d: { e: { f: "six" } } } } } })).toEqual({ a: { b: { c: { d: { e: { f: "six" } } } } } });
    // The bound counts arrays and errors as levels too, so neither can carry a value past it.
    const deepArray = [[[[[[[[JWT]]]]]]]];
    expect(JSON.stringify(redact(deepArray))).toContain('"[depth]"');
    expect(JSON.stringify(redact(deepArray))).not.toContain("eyJ");
    const errorAtTheBound = redact({ a: { b: { c: { d: { e: { f: new Error("said too much") } } } } } });
    expect(JSON.stringify(errorAtTheBound)).toContain('"message":"[depth]"');
    expect(redact(7)).toBe(7);
    expect(redact(null)).toBeNull();
    expect(redact(undefined)).toBeUndefined();
    expect(redact("eyJshort.x.y")).toBe("eyJshort.x.y");
  });
});
