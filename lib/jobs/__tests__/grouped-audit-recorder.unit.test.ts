import { describe, expect, it } from "vitest";
import type { TAuditInput } from "@/lib/audit/types";
import { createGroupedAuditRecorder } from "../grouped-audit-recorder";

const event = (resource: string): TAuditInput => ({
  actor: "worker",
  actorType: "client",
  action: "nextcloud.request",
  resource,
  outcome: "success",
  correlationId: "c",
});

/** An append whose completion the test controls, recording what each call was given. */
function controlledAppend(fail: (events: TAuditInput[]) => boolean = () => false) {
  const calls: { resources: string[]; finish: () => void }[] = [];
  const append = (events: TAuditInput[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({
        resources: events.map((e) => e.resource!),
        finish: () => (fail(events) ? reject(new Error("append failed")) : resolve()),
      });
    });
  return { calls, append };
}

describe("the worker's grouped audit recorder", () => {
  it("appends the events that arrived during an append together, in arrival order, in the next one", async () => {
    const { calls, append } = controlledAppend();
    const record = createGroupedAuditRecorder(append);
    const first = record(event("a"));
    const rest = [record(event("b")), record(event("c"))];
    expect(calls.map((c) => c.resources)).toEqual([["a"]]);
    calls[0]!.finish();
    await first;
    expect(calls.map((c) => c.resources)).toEqual([["a"], ["b", "c"]]);
    calls[1]!.finish();
    await Promise.all(rest);
  });

  it("resolves a caller only once its own group is appended", async () => {
    const { calls, append } = controlledAppend();
    const record = createGroupedAuditRecorder(append);
    const settled: string[] = [];
    void record(event("a")).then(() => settled.push("a"));
    const b = record(event("b")).then(() => settled.push("b"));
    calls[0]!.finish();
    await new Promise<void>((r) => setImmediate(r));
    expect(settled).toEqual(["a"]);
    calls[1]!.finish();
    await b;
    expect(settled).toEqual(["a", "b"]);
  });

  it("retries a failed group row by row, so only the bad event's caller fails", async () => {
    const { calls, append } = controlledAppend((events) => events.some((e) => e.resource === "bad"));
    const record = createGroupedAuditRecorder(append);
    const first = record(event("a"));
    const good = record(event("b"));
    const bad = record(event("bad"));
    calls[0]!.finish();
    await first;
    calls[1]!.finish();
    await new Promise<void>((r) => setImmediate(r));
    expect(calls.map((c) => c.resources)).toEqual([["a"], ["b", "bad"], ["b"]]);
    calls[2]!.finish();
    await new Promise<void>((r) => setImmediate(r));
    calls[3]!.finish();
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow("append failed");
  });
});
