import { expect, type Page } from "@playwright/test";

/** Grants the worker access for a task through the dashboard and Keycloak's own consent screen. */
export async function grantThroughConsentScreen(page: Page, task: "notes-index" | "files-inventory") {
  await page.goto(`/grants/new?task=${task}`);
  await page.getByRole("button", { name: "Continue to Keycloak" }).click();
  await page.waitForURL(/localhost:8180/);
  // Keycloak's consent page names the worker client and each scope's consent text.
  await expect(page.getByText(/Nextcloud MCP background worker/).first()).toBeVisible();
  await page.getByRole("button", { name: "Yes" }).click();
  await page.waitForURL(/\/access\?granted=/);
  await expect(page.getByText("Access granted.")).toBeVisible();
  return new URL(page.url()).searchParams.get("granted")!;
}
