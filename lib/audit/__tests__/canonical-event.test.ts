import { describe, expect, it } from "vitest";
import { canonicalizeEvent, canonicalizeEventReference, type TChainedContent } from "../canonical-event";

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
  details: { z: 1, a: [{ y: "\u2028", b: null }], "\"quote": "\\\n" },
  prevHash: "0".repeat(64),
};

describe("canonicalizeEvent", () => {
  it("produces exactly the reference serialisation (so stored hashes keep verifying)", () => {
    const variants: Partial<TChainedContent>[] = [
      {},
      { subject: null, resource: null, mechanism: null, details: null },
      { actChain: { sub: "w", act: { sub: "x" } }, errorCode: "invalid_grant", taskId: "t" },
      { actor: "ünïcødé \ud83d\ude00 \"q\"", details: { n: 1.5, t: true, list: [] } },
      { subject: undefined as unknown as string, details: undefined },
    ];
    for (const v of variants) {
      const e = { ...base, ...v };
      expect(canonicalizeEvent(e)).toBe(canonicalizeEventReference(e));
    }
  });
});
