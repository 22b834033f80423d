import type { Page } from "@playwright/test";

/** Pages whose UI expectations may be marked fixme (none: /access and /grants/new now use components/ui). */
export const LEAD_OWNED = new Set<string>();

/** Every page each kind of visitor can open (including the 403 and 404 pages they meet). */
export const PAGES: Record<"signed-out" | "user" | "admin", string[]> = {
  "signed-out": ["/", "/signin", "/signin?callbackUrl=%2Ftasks", "/signed-out", "/no-such-page"],
  user: ["/", "/tasks", "/access", "/grants/new", "/admin", "/no-such-page"],
  admin: ["/", "/tasks", "/access", "/grants/new", "/admin", "/admin/audit", "/admin/tiers", "/admin/workers"],
};

/**
 * Opens a page and waits until its live data has settled (polling pages never go network-idle): the page
 * is loaded, hydrated, and every query the client started has answered once (no loading placeholder left).
 */
export async function openSettled(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState("load");
  await page.locator("main h1").first().waitFor();
  await page.waitForFunction(() => {
    const main = document.querySelector("main");
    const hydrated = !!main && Object.keys(main).some((k) => k.startsWith("__react"));
    return hydrated && document.querySelectorAll('[aria-busy="true"]').length === 0;
  });
}
