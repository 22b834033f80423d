import { expect, test } from "@playwright/test";
import { storageStateOf } from "../users";
import { grantThroughConsentScreen } from "../grants/grant-flow";
import { e2eQuery } from "../e2e-db";
import { getUserByUsername } from "../../test/keycloak/admin-api";

const STAND_IN = "http://127.0.0.1:8281/__stand-in";

test.use({ storageState: storageStateOf("alice") });

test("a user grants, enables notes-index, sees it run, finds a note, and revokes the task mid-run", async ({ page, request }) => {
  await request.post(`${STAND_IN}/latency`, { data: { ms: 0 } });
  await grantThroughConsentScreen(page, "notes-index");
  await page.goto("/tasks");
  const card = page.getByRole("listitem", { name: "Notes index" });
  if (await card.getByRole("button", { name: "Enable" }).isVisible()) {
    await card.getByRole("button", { name: "Enable" }).click();
  } else {
    await card.getByRole("button", { name: "Run now" }).click();
  }
  await expect(card.getByLabel("Latest run").getByText("succeeded", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(card.getByTestId("run-summary")).toContainText(/Indexed \d+ notes/);

  await page.getByRole("textbox", { name: "Search my notes" }).fill("quokka");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("list", { name: "Search results" })).toContainText("Trip to Australia");
  // The feed lists her own requests in words; method, path and Nextcloud's status sit in each row's details.
  const feed = page.getByRole("table", { name: "Requests made on my behalf" });
  await expect(feed.getByRole("row").filter({ hasText: "PROPFIND" }).filter({ hasText: "/remote.php/dav/files/alice/Notes/" }).filter({ hasText: "207" }).first()).toBeVisible();
  await expect(feed.getByRole("row").filter({ hasText: "Nextcloud MCP background worker" }).first()).toBeVisible();

  // A slow Nextcloud (1.5 s per WebDAV request) and an emptied index, so the next run has several
  // requests still to make (PROPFINDs and a GET per note) when access is taken back.
  await e2eQuery('DELETE FROM "NoteDocument" WHERE "userSub" = $1', [(await getUserByUsername("alice")).id]);
  await request.post(`${STAND_IN}/latency`, { data: { ms: 1500 } });
  try {
    await card.getByRole("button", { name: "Run now" }).click();
    const bar = card.getByRole("progressbar");
    await expect(bar).toBeVisible({ timeout: 20_000 });
    await expect(bar).toHaveAttribute("aria-valuenow", /^\d+$/);
    await card.getByRole("button", { name: "Revoke task" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke task" }).click();
    const revokedAt = new Date();
    await expect(card.getByLabel("Latest run")).toContainText(/stopped|revoked/i, { timeout: 10_000 });
    await expect(card.getByText("Revoked", { exact: true })).toBeVisible();
    await page.waitForTimeout(2000);
    const log = await (await request.get(`${STAND_IN}/requests?uid=alice&since=${new Date(revokedAt.getTime() + 1000).toISOString()}`)).json();
    expect(log.requests).toEqual([]);
  } finally {
    await request.post(`${STAND_IN}/latency`, { data: { ms: 0 } });
  }
});
