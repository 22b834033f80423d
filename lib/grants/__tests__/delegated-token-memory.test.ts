import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { delegatedTokenMemory } from "../delegated-token-memory";
import { applyRevocationNotice, setRevocationListenerLive } from "../revocation-hints";
import { asUserAccessToken } from "@/lib/oauth/token-types";
import type { TDelegatedToken } from "../get-delegated-token";
import { fakeJwt } from "@/test/fake-jwt";

/**
 * The worker's in-memory token cache alone (no database): it answers only while the revocation listener is
 * live, forgets a grant on any notice about it and everything when the listener is lost, never keeps a token
 * read before a notice, and stays bounded.
 */
const token = (expiresInMs = 300_000): TDelegatedToken => ({
  token: asUserAccessToken(fakeJwt({ sub: "u", aud: "nextcloud", jti: randomUUID() })),
  expiresAt: new Date(Date.now() + expiresInMs),
  subject: "u",
  source: "refresh",
});
const id = () => `grant-${randomUUID()}`;
const keep = (grantId: string, t = token(), audience: string | null = null) =>
  delegatedTokenMemory.remember(grantId, audience, t, delegatedTokenMemory.epoch(), 1234);

beforeEach(() => setRevocationListenerLive(true));
afterEach(() => setRevocationListenerLive(false));

describe("delegatedTokenMemory", () => {
  it("gives back what it kept, as a cached token, with when lastUsedAt was last written", () => {
    const g = id();
    const t = token();
    keep(g, t);
    expect(delegatedTokenMemory.recall(g, null, 30_000)).toEqual({
      token: { ...t, source: "cache" },
      audience: null,
      lastUsedWrittenAt: 1234,
    });
  });

  it("keeps and answers nothing while the listener is not live", () => {
    const g = id();
    setRevocationListenerLive(false);
    keep(g);
    setRevocationListenerLive(true);
    expect(delegatedTokenMemory.recall(g, null, 0)).toBeNull();
    keep(g);
    setRevocationListenerLive(false);
    expect(delegatedTokenMemory.recall(g, null, 0)).toBeNull();
  });

  it("forgets everything when the listener is lost, even once it is back", () => {
    const g = id();
    keep(g);
    setRevocationListenerLive(false);
    setRevocationListenerLive(true);
    expect(delegatedTokenMemory.recall(g, null, 0)).toBeNull();
  });

  it("answers only for the audience it was kept for", () => {
    const g = id();
    keep(g, token(), "nextcloud");
    expect(delegatedTokenMemory.recall(g, null, 0)).toBeNull();
    expect(delegatedTokenMemory.recall(g, "other", 0)).toBeNull();
    expect(delegatedTokenMemory.recall(g, "nextcloud", 0)).not.toBeNull();
  });

  it("does not answer with a token that has less than the asked validity left", () => {
    const g = id();
    keep(g, token(20_000));
    expect(delegatedTokenMemory.recall(g, null, 10_000)).not.toBeNull();
    expect(delegatedTokenMemory.recall(g, null, 30_000)).toBeNull();
  });

  it("forgets a grant on a notice that it stopped or changed, and not on a notice about a task or another grant", () => {
    const [stopped, changed, other] = [id(), id(), id()];
    for (const g of [stopped, changed, other]) keep(g);
    applyRevocationNotice({ taskIds: [other] });
    applyRevocationNotice({ grantIds: [stopped] });
    applyRevocationNotice({ changedGrantIds: [changed] });
    expect(delegatedTokenMemory.recall(stopped, null, 0)).toBeNull();
    expect(delegatedTokenMemory.recall(changed, null, 0)).toBeNull();
    expect(delegatedTokenMemory.recall(other, null, 0)).not.toBeNull();
    // A changed grant may be kept again (its new token); a stopped one never.
    keep(changed);
    keep(stopped);
    expect(delegatedTokenMemory.recall(changed, null, 0)).not.toBeNull();
    expect(delegatedTokenMemory.recall(stopped, null, 0)).toBeNull();
  });

  it("refuses a token read before a notice arrived (the epoch moved)", () => {
    const g = id();
    const epoch = delegatedTokenMemory.epoch();
    applyRevocationNotice({ changedGrantIds: [id()] });
    expect(delegatedTokenMemory.epoch()).toBe(epoch + 1);
    delegatedTokenMemory.remember(g, null, token(), epoch, 0);
    expect(delegatedTokenMemory.recall(g, null, 0)).toBeNull();
  });

  it("forgets one grant on request", () => {
    const [a, b] = [id(), id()];
    keep(a);
    keep(b);
    delegatedTokenMemory.forget(a);
    expect(delegatedTokenMemory.recall(a, null, 0)).toBeNull();
    expect(delegatedTokenMemory.recall(b, null, 0)).not.toBeNull();
  });

  it("stays bounded at 50,000 grants, dropping the one kept longest ago (a re-kept grant counts as new)", () => {
    const first = id();
    const second = id();
    keep(first);
    keep(second);
    const epoch = delegatedTokenMemory.epoch();
    const t = token();
    for (let i = 0; i < 49_998; i += 1) delegatedTokenMemory.remember(`bulk-${i}`, null, t, epoch, 0);
    keep(first);
    expect(delegatedTokenMemory.recall(second, null, 0)).not.toBeNull();
    keep(id());
    expect(delegatedTokenMemory.recall(second, null, 0)).toBeNull();
    expect(delegatedTokenMemory.recall(first, null, 0)).not.toBeNull();
  });
});
