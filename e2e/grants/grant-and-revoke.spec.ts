import { expect, test, type Locator, type Page, type Request } from "@playwright/test";
import { storageStateOf } from "../users";
import { offlineSessionIds } from "../keycloak-admin";
import { e2eQuery } from "../e2e-db";
import { grantThroughConsentScreen } from "./grant-flow";

test.use({ storageState: storageStateOf("alice") });

/** Cancels an open confirm dialog and proves nothing was sent: no server action left the page, and the page read afresh still shows the grant active. */
async function cancelChangesNothing(page: Page, dialog: Locator) {
  const actionsSent: string[] = [];
  const onRequest = (r: Request) => {
    if (r.method() === "POST" && r.headers()["next-action"] !== undefined) actionsSent.push(r.url());
  };
  page.on("request", onRequest);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  page.off("request", onRequest);
  expect(actionsSent).toEqual([]);
}

test("a user grants through Keycloak's consent screen, sees the grant, and revokes it with proof", async ({ page }) => {
  const before = await offlineSessionIds("alice");
  await page.goto("/grants/new?task=notes-index");
  // The preview names the worker in words and lists what Keycloak's consent screen will list, line for line.
  await expect(page.getByTestId("worker-name")).toHaveText("Nextcloud MCP background worker");
  await expect(page.getByTestId("worker-description")).toHaveText("Acts on behalf of users who consented; never as itself");
  const previewed = await page.locator("[data-consent-item]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-consent-item")!));
  expect(previewed).toEqual(expect.arrayContaining(["User profile", "User roles", "Offline Access", "Nextcloud MCP background worker"]));
  await page.getByRole("button", { name: "Continue to Keycloak" }).click();
  await page.waitForURL(/localhost:8180/);
  const asked = (await page.locator("#kc-oauth li").allInnerTexts()).map((t) => t.trim());
  expect([...asked].sort()).toEqual([...previewed].sort());
  const grantId = await grantThroughConsentScreen(page, "notes-index");

  const card = page.locator(`[data-grant-id="${grantId}"]`);
  await expect(card.getByText("Active")).toBeVisible();
  await expect(card.getByTestId("grant-scopes")).toContainText("notes.read");
  await expect(card.getByTestId("grant-scopes")).toContainText("offline_access");

  // Keycloak itself now holds a new offline session of alice for the worker client.
  const during = await offlineSessionIds("alice");
  const created = during.filter((id) => !before.includes(id));
  expect(created).toHaveLength(1);

  // Revoke asks first and says what will happen; Cancel changes nothing, here or at Keycloak.
  await card.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Revoke this access?" });
  await expect(dialog).toContainText("The worker stops at once");
  await expect(dialog).toContainText("Keycloak ends the worker's offline access and forgets your consent");
  await expect(dialog).toContainText("You get a receipt with Keycloak's proof");
  await cancelChangesNothing(page, dialog);
  await expect(card.getByText("Active")).toBeVisible();
  expect(await offlineSessionIds("alice")).toContain(created[0]);

  await card.getByRole("button", { name: "Revoke" }).click();
  await dialog.getByRole("button", { name: "Revoke access" }).click();
  await expect(card.getByText("Confirmed by Keycloak")).toBeVisible();
  await expect(card.getByTestId("consent-proof")).toContainText("no longer lists a consent");
  await expect(card.getByTestId("revocation-proof")).toContainText("invalid_grant");
  expect(await offlineSessionIds("alice")).not.toContain(created[0]);
  // An ended grant says neither when it would expire nor how healthy it is; it sits under "Ended grants".
  await expect(card.getByText("Expires if unused", { exact: true })).toHaveCount(0);
  await expect(card.getByText("Health", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Ended in the last day" }).locator(`[data-grant-id="${grantId}"]`)).toBeVisible();
  // A day later it folds away into "older ended grants", still one click from its receipt.
  await e2eQuery(`UPDATE "Grant" SET "revokedAt" = now() - interval '2 days' WHERE id = $1`, [grantId]);
  await page.reload();
  await expect(card).toBeHidden();
  await page.getByTestId("older-ended-grants").locator("summary").click();
  await expect(card.getByText("Confirmed by Keycloak")).toBeVisible();
});

test("granting for a second task adds to the one grant, and revoke everything clears it", async ({ page }) => {
  const a = await grantThroughConsentScreen(page, "notes-index");
  const b = await grantThroughConsentScreen(page, "files-inventory");
  expect(b).toBe(a);
  await expect(page.locator("[data-grant-id]").filter({ hasText: "Active" })).toHaveCount(1);
  await expect(page.locator(`[data-grant-id="${a}"]`).getByTestId("grant-scopes")).toContainText(
    /notes\.read.*files\.read|files\.read.*notes\.read/,
  );
  // "Check now" answers with a toast.
  await page.locator(`[data-grant-id="${a}"]`).getByRole("button", { name: "Check now" }).click();
  // Exact: Radix also announces the toast in a live region whose text starts with "Notification".
  await expect(page.getByText("Access checked: still active", { exact: true })).toBeVisible();

  // Revoke everything asks first and says what will happen; Cancel changes nothing.
  const sessions = await offlineSessionIds("alice");
  await page.getByRole("button", { name: "Revoke everything" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Revoke all background access?" });
  await expect(dialog).toContainText("The worker stops at once");
  await expect(dialog).toContainText("What the tasks collected is kept");
  await cancelChangesNothing(page, dialog);
  await expect(page.locator(`[data-grant-id="${a}"]`).getByText("Active")).toBeVisible();
  expect(await offlineSessionIds("alice")).toEqual(sessions);

  await page.getByRole("button", { name: "Revoke everything" }).click();
  await dialog.getByRole("button", { name: "Revoke everything" }).click();
  await expect(page.locator(`[data-grant-id="${a}"]`).getByText("Confirmed by Keycloak")).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke everything" })).toHaveCount(0);
});

test("access removed in Keycloak's account console shows up here as revoked", async ({ page }) => {
  const grantId = await grantThroughConsentScreen(page, "files-inventory");
  await page.goto("http://localhost:8180/realms/nextcloud-mcp/account/applications");
  const row = page
    .getByRole("row", { name: /Nextcloud MCP background worker/ })
    .or(page.locator("li, tr, div[role=row]").filter({ hasText: "Nextcloud MCP background worker" }))
    .first();
  await row.getByRole("button").first().click();
  await page.getByRole("button", { name: /remove access/i }).click();
  await page.getByRole("button", { name: /^confirm$/i }).click();
  await expect(page.getByText(/successfully removed|removed/i).first()).toBeVisible();

  // Keycloak notifies the worker client by back-channel logout (revoke_offline_access); where that is
  // not configured, "Check now" asks Keycloak (a live refresh of the grant). Either way the grant must stop here.
  await page.goto("/access");
  const card = page.locator(`[data-grant-id="${grantId}"]`);
  if (await card.getByRole("button", { name: "Check now" }).isVisible()) {
    await card.getByRole("button", { name: "Check now" }).click();
  }
  await expect(card.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  await expect(card.getByText(/Reason: .*Keycloak/)).toBeVisible();
  // The worker works the outbox: the revocation is confirmed at Keycloak shortly after.
  await expect(card.getByText(/^(Revoked|Revoked in Keycloak)$/)).toBeVisible({ timeout: 20_000 });
});
