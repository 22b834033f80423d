import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import {
  GENESIS_HASH,
  canonicalizeEvent,
  canonicalizeEventParts,
  canonicalizeEventReference,
  hashEvent,
  isoTime,
  type TChainedContent,
} from "../canonical-event";

const base: TChainedContent = {
  seq: 42n,
  at: new Date("2026-12-01T10:00:00.123Z"),
  actor: "nextcloud-mcp-server",
  actorType: "client",
  subject: "user-1",
  actChain: null,
  action: "nextcloud.request",
  resource: "/remote.php/dav/files/alice/",
  outcome: "success",
  errorCode: null,
  taskId: null,
  correlationId: "c-1",
  mechanism: "offline-refresh",
  details: { z: 1, a: [{ y: "\u2028", b: null }], '"quote': "\\\n" },
  prevHash: "0".repeat(64),
};

describe("canonicalizeEvent", () => {
  it("produces exactly the reference serialisation (so stored hashes keep verifying)", () => {
    const variants: Partial<TChainedContent>[] = [
      {},
      { subject: null, resource: null, mechanism: null, details: null },
      { actChain: { sub: "w", act: { sub: "x" } }, errorCode: "invalid_grant", taskId: "t" },
      { actor: 'ünïcødé \ud83d\ude00 "q"', details: { n: 1.5, t: true, list: [] } },
      { actor: "lone \ud800 surrogate", resource: "tab\there \u2028 back\\slash", details: { "k\u0001": "\udfff", z: ['"', "\n"] } },
      { subject: undefined, details: undefined },
    ];
    for (const v of variants) {
      const e = { ...base, ...v };
      expect(canonicalizeEvent(e)).toBe(canonicalizeEventReference(e));
    }
  });

  it("cut into the pieces the database joins around time, previous hash and seq, is the same text", () => {
    const variants: Partial<TChainedContent>[] = [
      {},
      { subject: null, resource: null, mechanism: null, details: null, actChain: undefined },
      { actChain: { sub: "w", act: { sub: "x" } }, errorCode: "invalid_grant", taskId: "t" },
      { actor: 'ünïcødé \ud83d\ude00 "q"', details: { n: 1.5, t: true, list: [] } },
      { actor: "lone \ud800 surrogate", resource: "tab\there \u2028 back\\slash", details: { "k\u0001": "\udfff", z: ['"', "\n"] } },
      { subject: undefined, details: undefined, taskId: undefined, errorCode: undefined },
      // Text that looks like the pieces' own seams must not move them.
      { actor: ',"at":"', resource: ',"prevHash":"', subject: ',"seq":"', details: { at: "x", prevHash: "y", seq: "z" } },
      { seq: 9007199254740993n, at: "2026-12-31T23:59:59.999Z", prevHash: "f".repeat(64) },
    ];
    for (const v of variants) {
      const e = { ...base, ...v };
      const { c0, c1, c2, c3 } = canonicalizeEventParts(e);
      expect(`${c0}${isoTime(e.at)}${c1}${e.prevHash}${c2}${e.seq.toString()}${c3}`).toBe(canonicalizeEvent(e));
    }
  });
});

describe("hashEvent", () => {
  it("changes when any single stored field changes (the hash covers every field)", () => {
    const changes: Partial<TChainedContent>[] = [
      { seq: 43n },
      { at: new Date("2026-12-01T10:00:00.124Z") },
      { actor: "someone-else" },
      { actorType: "admin" },
      { subject: "user-2" },
      { subject: null },
      { actChain: { sub: "attacker" } },
      { action: "task.pause" },
      { resource: "/other" },
      { outcome: "failure" },
      { errorCode: "invalid_grant" },
      { taskId: "t-1" },
      { correlationId: "c-2" },
      { mechanism: "impersonation" },
      { details: { z: 2, a: [{ y: "\u2028", b: null }], '"quote': "\\\n" } },
      { details: null },
      { prevHash: "1".repeat(64) },
    ];
    const original = hashEvent(base);
    expect(original).toMatch(/^[0-9a-f]{64}$/);
    const seen = new Set([original]);
    for (const change of changes) {
      const h = hashEvent({ ...base, ...change });
      expect(
        seen.has(h),
        JSON.stringify(change, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
      ).toBe(false);
      seen.add(h);
    }
  });

  it("is the SHA-256 of the canonical form, which names every field, sorted, with the version", () => {
    const text = canonicalizeEvent(base);
    expect(hashEvent(base)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    expect(Object.keys(JSON.parse(text))).toEqual([
      "actChain",
      "action",
      "actor",
      "actorType",
      "at",
      "correlationId",
      "details",
      "errorCode",
      "mechanism",
      "outcome",
      "prevHash",
      "resource",
      "seq",
      "subject",
      "taskId",
      "v",
    ]);
    expect(JSON.parse(text)).toMatchObject({
      v: "ncdd-audit-v1",
      seq: "42",
      at: "2026-12-01T10:00:00.123Z",
      details: { '"quote': "\\\n", a: [{ b: null, y: "\u2028" }], z: 1 },
    });
    expect(text.indexOf('"a":')).toBeLessThan(text.indexOf('"z":'));
    expect(GENESIS_HASH).toBe("0".repeat(64));
  });
});

describe("the serialisation of nested JSON (what a stored jsonb column reads back as)", () => {
  const detailsText = (details: unknown) => {
    const text = canonicalizeEvent({ ...base, details: details as TChainedContent["details"] });
    return text.slice(text.indexOf('"details":') + '"details":'.length, text.indexOf(',"errorCode":'));
  };

  it("sorts keys at every depth whatever order they came in, and keeps array order and separators", () => {
    // PostgreSQL hands jsonb keys back in its own order: the bytes must not depend on it.
    expect(detailsText({ e: 4, d: [3, 1, 2], c: { y: [], x: null }, b: "two", a: 1 })).toBe(
      '{"a":1,"b":"two","c":{"x":null,"y":[]},"d":[3,1,2],"e":4}',
    );
    expect(detailsText({ a: 1, b: "two", c: { x: null, y: [] }, d: [3, 1, 2], e: 4 })).toBe(
      detailsText({ e: 4, d: [3, 1, 2], c: { y: [], x: null }, b: "two", a: 1 }),
    );
  });

  it("writes undefined inside an array as null, as the jsonb column stores it, so the writer's hash verifies on read", () => {
    expect(detailsText({ list: [undefined, 1] })).toBe('{"list":[null,1]}');
    expect(hashEvent({ ...base, details: { list: [undefined, 1] } as unknown as TChainedContent["details"] })).toBe(
      hashEvent({ ...base, details: { list: [null, 1] } }),
    );
  });
});
