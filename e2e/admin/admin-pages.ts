import type { Browser, BrowserContext, Page } from "@playwright/test";
import { test } from "@playwright/test";
import { storageStateOf, type TUserKey } from "../users";

/** A browser context signed in as `user` (state saved by the setup project), on the configured base URL. */
export async function contextAs(browser: Browser, user: TUserKey): Promise<BrowserContext> {
  return browser.newContext({ storageState: storageStateOf(user), baseURL: test.info().project.use.baseURL });
}

/** Clicks "Run probes now" and waits for the server action's answer (the table updates from it). */
export async function runProbesNow(page: Page): Promise<void> {
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && r.request().headers()["next-action"] !== undefined, {
    timeout: 60_000,
  });
  await page.getByRole("button", { name: "Run probes now" }).click();
  await answered;
}

/** The tier table row of one mechanism. */
export const tierRow = (page: Page, mechanism: string) => page.locator(`tr[data-mechanism="${mechanism}"]`);
