import { randomUUID } from "node:crypto";
import { recordAuditEvent, recordAuditEvents } from "../../../audit/record-event";
import type { TAuditInput } from "../../../audit/types";
import type { TCtx } from "../../context";

/** Unique names per test file run: the trail is append-only, so tests never clean up, they isolate. */
export function makeRun() {
  const id = randomUUID().slice(0, 8);
  const alice = `alice-${id}`;
  const bob = `bob-${id}`;
  const admin: TCtx = { userSub: `admin-${id}`, username: "admin", isAdmin: true, correlationId: `corr-admin-${id}` };
  const asAlice: TCtx = { userSub: alice, username: "alice", isAdmin: false, correlationId: `corr-alice-${id}` };
  const base: TAuditInput = {
    actor: "nextcloud-mcp-server",
    actorType: "client",
    subject: alice,
    action: "nextcloud.request",
    outcome: "success",
    correlationId: `corr-${id}`,
    mechanism: "offline-refresh",
  };
  const record = (overrides: Partial<TAuditInput>) => recordAuditEvent({ ...base, ...overrides });
  /** Several events in one append (one statement), as the worker's grouped recorder writes them. */
  const recordBatch = (each: Partial<TAuditInput>[]) => recordAuditEvents(each.map((o) => ({ ...base, ...o })));
  return { id, alice, bob, admin, asAlice, base, record, recordBatch };
}

/** Reads a whole web stream as text, counting chunks so tests can see it really streamed. */
export async function readStream(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    chunks += 1;
  }
  return { text: text + decoder.decode(), chunks };
}
