import { expect, test, type Browser } from "@playwright/test";
import { grantThroughConsentScreen } from "../grants/grant-flow";
import { storageStateOf } from "../users";

/**
 * Gives alice a grant, both tasks enabled and finished runs (so /tasks has cards, a feed and a chart,
 * /access has a grant, and the admin's audit trail has people in it) before pages are checked. Does
 * nothing that is already done, so every spec can call it.
 */
export async function ensureAliceHasActivity(browser: Browser): Promise<void> {
  const context = await browser.newContext({ storageState: storageStateOf("alice"), baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  try {
    await page.goto("/tasks");
    for (const [title, type] of [["Notes index", "notes-index"], ["Files inventory", "files-inventory"]] as const) {
      const card = page.getByRole("listitem", { name: title });
      if (await card.getByRole("link", { name: `Grant access for ${title}` }).isVisible()) {
        await grantThroughConsentScreen(page, type);
        await page.goto("/tasks");
      }
      const enable = card.getByRole("button", { name: /^Enable/ });
      if (await enable.isVisible()) await enable.click();
      const resume = card.getByRole("button", { name: "Resume" });
      if (await resume.isVisible()) await resume.click();
      // A task left by another spec may have a stopped or failed latest run: run it once more.
      await page.waitForTimeout(1500);
      if (!(await card.getByTestId("run-summary").isVisible()) && (await card.getByRole("button", { name: "Run now" }).isVisible())) {
        await card.getByRole("button", { name: "Run now" }).click();
      }
      await expect(card.getByTestId("run-summary")).toBeVisible({ timeout: 30_000 });
    }
  } finally {
    await context.close();
  }
}
