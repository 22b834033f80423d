import { expect, test } from "@playwright/test";
import { storageStateOf } from "../users";
import { grantThroughConsentScreen } from "../grants/grant-flow";

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
  await expect(card.getByTestId("run-summary")).toContainText('"notes":');

  await page.getByLabel("Search my notes").fill("quokka");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("list", { name: "Search results" })).toContainText("Trip to Australia");
  await expect(page.getByRole("table", { name: "Requests made on my behalf" })).toContainText("PROPFIND");

  // A slow Nextcloud (2.5 s per WebDAV request), so the run is still going when access is taken back,
  // even when the notes are already indexed and only PROPFINDs remain.
  await request.post(`${STAND_IN}/latency`, { data: { ms: 2500 } });
  try {
    await card.getByRole("button", { name: "Run now" }).click();
    await expect(card.getByRole("progressbar")).toBeVisible({ timeout: 20_000 });
    await card.getByRole("button", { name: "Revoke task" }).click();
    const revokedAt = new Date();
    await expect(card.getByLabel("Latest run").getByText("stopped: access revoked")).toBeVisible({ timeout: 10_000 });
    await expect(card.getByText("Revoked", { exact: true })).toBeVisible();
    await page.waitForTimeout(2000);
    const log = await (await request.get(`${STAND_IN}/requests?uid=alice&since=${new Date(revokedAt.getTime() + 1000).toISOString()}`)).json();
    expect(log.requests).toEqual([]);
  } finally {
    await request.post(`${STAND_IN}/latency`, { data: { ms: 0 } });
  }
});
