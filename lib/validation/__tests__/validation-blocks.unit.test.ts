import { describe, expect, it } from "vitest";
import { ZDateInRangeSchema } from "../z-date-in-range-schema";
import { ZIdSchema } from "../z-id-schema";
import { ZSafeTextSchema } from "../z-safe-text-schema";
import { findHostileValue } from "../find-hostile-value";
import { decodeAuditCursor, encodeAuditCursor, readAuditCursor } from "@/lib/services/audit/encode-audit-cursor";

describe("ZDateInRangeSchema", () => {
  it.each([
    ["2000-01-01T00:00:00Z", "2000-01-01T00:00:00.000Z"],
    ["2100-12-31T23:59:59.999Z", "2100-12-31T23:59:59.999Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2026-11-28T10:00", null],
    ["2026-11-28T10:00:00+02:00", "2026-11-28T08:00:00.000Z"],
  ])("accepts %s", (value, iso) => {
    const parsed = ZDateInRangeSchema.safeParse(value);
    expect(parsed.success).toBe(true);
    if (iso) expect((parsed.data as Date).toISOString()).toBe(iso);
  });

  it.each([
    "1999-12-31T23:59:59.999Z",
    "2101-01-01T00:00:00Z",
    "2000-01-01T00:30:00+01:00",
    "2100-02-29",
    "2026-02-30",
    "200000",
    "-271821-04-20T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "2026-11-28T24:00:00Z",
    "2026-11-28 10:00",
    "",
    1_700_000_000_000,
    null,
    new Date(Number.NaN),
    new Date("1970-01-01"),
  ])("refuses %s", (value) => expect(ZDateInRangeSchema.safeParse(value).success).toBe(false));
});

describe("ZIdSchema and ZSafeTextSchema", () => {
  it("accepts ids as this product and Keycloak make them, nothing else", () => {
    for (const ok of [
      "clx0abc123def456ghi789jkl",
      "3f1c6a2e-4b1d-4c5e-9f00-1234567890ab",
      "nextcloud-mcp-server",
      "f:ldap:alice",
      "corr-x.y_z",
    ])
      expect(ZIdSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["", " x", "x ", "-x", "a\u0000", "' OR 1=1", "<b>", "a".repeat(129), "ａ"])
      expect(ZIdSchema.safeParse(bad).success, bad).toBe(false);
  });

  it("keeps ordinary Unicode and refuses control, bidi-override and broken characters", () => {
    for (const ok of ["Grüße 🔥", "e\u0301", "a\u200Bb", "日本語"]) expect(ZSafeTextSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["a\u0000", "a\nb", "a\u001b", "a\u0085", "a\u202Eb", "a\uD800", "a\uFFFF", "a".repeat(4_097)])
      expect(ZSafeTextSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe("findHostileValue", () => {
  it("names the path of the first hostile value, and allows line breaks only when asked", () => {
    expect(findHostileValue({ a: [{ b: "x\u0000" }] })).toEqual({ field: "a.0.b", message: "must not contain control characters" });
    expect(findHostileValue({ note: "line one\nline two" })).toBeNull();
    expect(findHostileValue({ note: "line one\nline two" }, { lineBreaks: false })?.field).toBe("note");
    expect(findHostileValue(new Map())?.message).toBe("must be plain data");
    expect(findHostileValue({ n: Number.NaN })?.field).toBe("n");
  });
});

describe("audit cursor", () => {
  it("round-trips every seq up to int64 max and refuses anything beyond or malformed", () => {
    for (const seq of [1n, 12345n, 9_223_372_036_854_775_807n]) expect(decodeAuditCursor(encodeAuditCursor(seq))).toBe(seq);
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    for (const bad of [
      b64("ae1:9223372036854775808"),
      b64("ae1:0"),
      b64("ae1:-1"),
      b64("ae1:01"),
      b64("ae1:1 "),
      b64("ae2:1"),
      "YWUxOjE=",
      "!!",
      "",
      "A".repeat(65),
    ]) {
      expect(readAuditCursor(bad), bad).toBeNull();
    }
    expect(() => decodeAuditCursor(b64("ae1:9223372036854775808"))).toThrow(
      expect.objectContaining({ code: "BadInput", details: expect.objectContaining({ field: "cursor" }) }),
    );
  });
});
