import { describe, expect, it } from "vitest";
import { describeProgress, describeRunSummary, formatBytes } from "../describe-run-summary";
import { describeNextcloudRequest, readablePath } from "../describe-nextcloud-request";
import { formatRelativeTime } from "../format-relative-time";
import { safeCallbackUrl, signInUrlFor } from "../safe-callback-url";
import { pickGrantReturnTo } from "../grant-return-to";
import { describeTierVerdict, tierTone } from "../describe-tiers";

describe("run summaries in plain words", () => {
  it("says what the notes index did", () => {
    expect(describeRunSummary("notes-index", { notes: 3, indexed: 0, removed: 0 })).toBe(
      "Indexed 3 notes — nothing changed since the last run.",
    );
    expect(describeRunSummary("notes-index", { notes: 1, indexed: 1, removed: 2 })).toBe("Indexed 1 note — 1 new or changed, 2 removed.");
  });
  it("says what the files inventory found, with sizes", () => {
    expect(describeRunSummary("files-inventory", { files: 4, folders: 2, bytes: 12_345, added: 1, changed: 0, removed: 0 })).toBe(
      "Found 4 files and 2 folders (12.3 kB) — 1 added.",
    );
    expect(formatBytes(999)).toBe("999 bytes");
    expect(formatBytes(2_500_000)).toBe("2.5 MB");
  });
  it("never shows raw JSON for unknown shapes", () => {
    expect(describeRunSummary("notes-index", { weird: true })).toBe("Finished.");
    expect(describeRunSummary("other", null)).toBe("Finished.");
  });
  it("names the unit progress counts", () => {
    expect(describeProgress("files-inventory", 2, 3)).toBe("Looked through 2 of 3 folders");
    expect(describeProgress("notes-index", 1, null)).toBe("Read 1 note so far");
  });
});

describe("Nextcloud requests in plain words", () => {
  it("describes a folder listing without protocol words and keeps the exact request", () => {
    const d = describeNextcloudRequest("PROPFIND", "/remote.php/dav/files/alice/Notes/", 207, "success");
    expect(d).toMatchObject({
      what: "Listed the folder Notes",
      result: "done",
      tone: "good",
      technical: "PROPFIND /remote.php/dav/files/alice/Notes/ → 207",
    });
  });
  it("never shows a doubled slash", () => {
    const d = describeNextcloudRequest("PROPFIND", "/remote.php/dav/files/carol//", 207, "success");
    expect(d.what).toBe("Listed your top folder");
    expect(d.technical).toBe("PROPFIND /remote.php/dav/files/carol/ → 207");
    expect(readablePath("/remote.php/dav/files/bob/Projects//garden/plan%20a.md")).toBe("Projects/garden/plan a.md");
  });
  it("describes reads, the account lookup and refusals", () => {
    expect(describeNextcloudRequest("GET", "/remote.php/dav/files/alice/Notes/Groceries.txt", 200, "success").what).toBe(
      "Read the file Notes/Groceries.txt",
    );
    expect(describeNextcloudRequest("GET", "/ocs/v2.php/cloud/user", 200, "success").what).toBe("Read your account name");
    expect(describeNextcloudRequest("GET", "/x", 401, "failure")).toMatchObject({ result: "refused by Nextcloud", tone: "bad" });
    expect(describeNextcloudRequest("GET", "/x", null, "refused (service_account)")).toMatchObject({
      result: "refused before sending",
      tone: "bad",
    });
  });
});

describe("relative times", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  it("rounds to the largest unit", () => {
    expect(formatRelativeTime("2026-12-01T11:59:50Z", now)).toBe("just now");
    expect(formatRelativeTime("2026-12-01T11:55:00Z", now)).toBe("5 minutes ago");
    expect(formatRelativeTime("2026-12-01T14:00:00Z", now)).toBe("in 2 hours");
    expect(formatRelativeTime("2026-11-30T12:00:00Z", now)).toBe("yesterday");
  });
});

describe("return paths", () => {
  it("keeps same-origin paths and refuses everything else", () => {
    expect(safeCallbackUrl("/tasks?x=1")).toBe("/tasks?x=1");
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil", "javascript:alert(1)", "", null, "/signin?callbackUrl=/x"]) {
      expect(safeCallbackUrl(bad)).toBe("/");
    }
    expect(signInUrlFor("/tasks")).toBe("/signin?callbackUrl=%2Ftasks");
  });
  it("returns from a grant only to allow-listed pages", () => {
    expect(pickGrantReturnTo("/admin/tiers")).toBe("/admin/tiers");
    expect(pickGrantReturnTo("https://evil.example")).toBeNull();
    expect(pickGrantReturnTo("/admin/tiers/../audit")).toBeNull();
  });
});

describe("tier colours and verdict", () => {
  it("colours intended refusals as expected, failures as alarms", () => {
    expect(tierTone("service-accounts", "rejected_by_policy")).toEqual({ tone: "expected", expected: true });
    expect(tierTone("tier1-impersonation", "refused")).toEqual({ tone: "expected", expected: true });
    expect(tierTone("tier2-token-exchange", "failing").tone).toBe("bad");
    expect(tierTone("tier0-basic-auth", "works").tone).toBe("warn");
  });
  it("opens with one sentence", () => {
    const ok = { request: "", response: "" };
    const probes = [
      { mechanism: "offline-access" as const, status: "works" as const, evidence: ok },
      { mechanism: "tier2-token-exchange" as const, status: "works" as const, evidence: ok },
      { mechanism: "service-accounts" as const, status: "rejected_by_policy" as const, evidence: ok },
    ];
    expect(describeTierVerdict(probes)).toMatchObject({ tone: "good", sentence: expect.stringMatching(/^Delegation works/) });
    expect(describeTierVerdict([{ ...probes[0]!, status: "needs_probe_grant" }]).sentence).toMatch(/grant the probe access/);
    expect(describeTierVerdict([probes[0]!, { ...probes[1]!, status: "failing" }]).tone).toBe("bad");
  });
});
