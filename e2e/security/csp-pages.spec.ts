import { expect, test, type Page } from "@playwright/test";
import { storageStateOf, type TUserKey } from "../users";

// The strict CSP must not break the pages: scripts hydrate (client components render data fetched through
// TanStack Query), Tailwind's stylesheet applies, and the browser reports no CSP violation at all.
async function visit(page: Page, path: string): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`${path}: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`Refused to load (CSP): ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  return violations;
}

const PAGES: [TUserKey, string, (page: Page) => Promise<void>][] = [
  ["alice", "/", async (page) => await expect(page.getByRole("heading", { name: "Welcome, Alice Liddell" })).toBeVisible()],
  ["alice", "/access", async (page) => await expect(page.getByRole("heading", { name: "My access" })).toBeVisible()],
  ["alice", "/tasks", async (page) => await expect(page.getByRole("heading", { name: "Notes index" })).toBeVisible()],
  [
    "alice",
    "/grants/new?task=notes-index",
    async (page) => await expect(page.getByRole("button", { name: "Continue to Keycloak" })).toBeVisible(),
  ],
  ["admin", "/admin/audit", async (page) => await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible()],
  ["admin", "/admin/tiers", async (page) => await expect(page.getByRole("heading", { level: 1 })).toBeVisible()],
];

for (const [user, path, check] of PAGES) {
  test.describe(`${user} on ${path}`, () => {
    test.use({ storageState: storageStateOf(user) });
    test("renders, hydrates and styles without a CSP violation", async ({ page }) => {
      const violations = await visit(page, path);
      await check(page);
      // Hydrated: React attached its fiber to the DOM, which only the nonce-allowed scripts can do.
      // Polled: the server-rendered heading can be visible a moment before React has attached.
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              Object.keys(document.body).some((k) => k.startsWith("__react")) ||
              Object.keys(document.querySelector("main") ?? {}).some((k) => k.startsWith("__react")),
          ),
        )
        .toBe(true);
      // Tailwind's stylesheet applied (the header is white, the body not the default transparent).
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
      expect(violations).toEqual([]);
    });
  });
}

test.describe("signed out", () => {
  test("the sign-in page hydrates, is styled and signing in starts at Keycloak, without a CSP violation", async ({ page }) => {
    const violations = await visit(page, "/signin");
    const button = page.getByRole("button", { name: "Sign in with Keycloak" });
    expect(await button.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
    await button.click();
    await page.waitForURL(/\/realms\/nextcloud-mcp\/protocol\/openid-connect\/auth|login-actions/);
    expect(violations).toEqual([]);
  });
});
