import { expect, test } from "@playwright/test";
import { storageStateOf } from "../users";
import { openSettled, PAGES } from "./ui-pages";

// Keyboard only: the first Tab reaches "Skip to content", which moves focus to the page's main content, past
// the header's navigation (also on pages whose content has nothing to tab to, like the Workers page).
for (const viewer of ["user", "admin"] as const) {
  test.describe(`keyboard, ${viewer}`, () => {
    test.use({ storageState: storageStateOf(viewer === "user" ? "alice" : "admin") });
    test("every page's skip link takes the keyboard past the header", async ({ page }) => {
      for (const path of PAGES[viewer]) {
        await openSettled(page, path);
        await page.keyboard.press("Tab");
        await expect(page.getByRole("link", { name: "Skip to content" }), path).toBeFocused();
        await page.keyboard.press("Enter");
        await expect(page.locator("main"), `focus after the skip link on ${path}`).toBeFocused();
      }
    });
  });
}
