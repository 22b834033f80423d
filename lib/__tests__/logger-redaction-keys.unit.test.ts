import { describe, expect, it } from "vitest";
import { redact } from "../logger";

describe("redact: credential-like field names", () => {
  it("replaces any string or structure under a credential-like name", () => {
    expect(
      redact({ refreshToken: "opaque-value", client_secret: "s", password: "p", cookie: "c", code: "abc", token: { raw: "x" } }),
    ).toEqual({
      refreshToken: "[redacted]",
      client_secret: "[redacted]",
      password: "[redacted]",
      cookie: "[redacted]",
      code: "[redacted]",
      token: "[redacted]",
    });
  });

  it("keeps flags and counts that only share the name (they cannot carry a secret)", () => {
    expect(redact({ tokenExchange: true, tokenMints: 3, refreshToken: null, nested: { hasPassword: false } })).toEqual({
      tokenExchange: true,
      tokenMints: 3,
      refreshToken: null,
      nested: { hasPassword: false },
    });
  });
});
