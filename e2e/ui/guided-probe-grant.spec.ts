import { expect, test } from "@playwright/test";
import { createThrowawayPerson, deleteThrowawayPerson, signInAs, type TThrowawayPerson } from "../fixtures/throwaway-person";
import { e2eQuery } from "../e2e-db";

// An admin of this spec's own, who has no probe grant yet (the guided step only shows without one), and no
// cached probe results: the tier status is shared by all admins, so another spec's probes (run through
// another admin's grant) would otherwise be what this page first shows.
let admin: TThrowawayPerson;
test.beforeAll(async () => {
  admin = await createThrowawayPerson("e2e-probe-admin", ["dashboard-admin"]);
  await e2eQuery('DELETE FROM "TierProbe"');
});
test.afterAll(async () => deleteThrowawayPerson(admin));

test("the tier page opens with a verdict and guides the admin through the probe grant and back", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, admin);
  await page.goto("/admin/tiers");
  await expect(page.getByTestId("tier-verdict")).toBeVisible();
  const step = page.getByRole("link", { name: "Grant probe access" });
  // The empty cache starts a probe run as this admin; the page shows its outcome at the next poll.
  await expect(step).toBeVisible({ timeout: 30_000 });
  // One guided step instead of the same fix in four rows.
  await expect(page.getByRole("list", { name: "Checks waiting for a probe grant" }).getByRole("listitem")).not.toHaveCount(0);
  await expect(page.locator('tr[data-mechanism] [data-testid="tier-status"]').filter({ hasText: "needs a probe grant" })).toHaveCount(0);

  await step.click();
  await page.getByRole("button", { name: "Continue to Keycloak" }).click();
  await page.waitForURL(/localhost:8180/);
  await page.getByRole("button", { name: "Yes" }).click();
  await page.waitForURL(/\/admin\/tiers\?granted=/);
  await expect(page.getByRole("status").filter({ hasText: "Probe access granted" })).toBeVisible();
  await expect(page.getByTestId("tier-verdict")).toContainText("Delegation works", { timeout: 60_000 });
  await expect(step).toHaveCount(0);
  // Intended refusals read as intended, not as alarms.
  await expect(page.locator('tr[data-mechanism="service-accounts"]')).toContainText("As intended");
  await expect(page.locator('tr[data-mechanism="tier1-impersonation"]')).toContainText("As intended");
});
