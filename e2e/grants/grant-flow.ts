import { expect, type Page } from "@playwright/test";

/**
 * Grants the worker access for a task through the dashboard and Keycloak's own consent screen, and
 * returns the id of the person's one grant. When the grant already covers the task, the dashboard says
 * so instead of asking Keycloak again; then the existing grant's id is returned.
 */
export async function grantThroughConsentScreen(page: Page, task: "notes-index" | "files-inventory") {
  await page.goto(`/grants/new?task=${task}`);
  if (await page.getByRole("heading", { name: "You already granted this" }).isVisible()) {
    await page.goto("/access");
    return (await page.locator("[data-grant-id]").filter({ hasText: "Active" }).first().getAttribute("data-grant-id"))!;
  }
  return continueToKeycloak(page);
}

/** From a /grants/new page: Keycloak's consent screen, "Yes", and back on /access with the grant's id. */
export async function continueToKeycloak(page: Page) {
  await page.getByRole("button", { name: "Continue to Keycloak" }).click();
  await page.waitForURL(/localhost:8180/);
  // Keycloak's consent page names the worker client and each scope's consent text.
  await expect(page.getByText(/Nextcloud MCP background worker/).first()).toBeVisible();
  await page.getByRole("button", { name: "Yes" }).click();
  await page.waitForURL(/\/access\?granted=/);
  await expect(page.getByRole("status")).toContainText(/Access (granted|added|narrowed|renewed)/);
  return new URL(page.url()).searchParams.get("grant")!;
}
