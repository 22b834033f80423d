/**
 * `npm run screenshots`: PNGs of every page at 1280 px and 390 px, signed out, as alice and as admin,
 * into screenshots/ (git-ignored), so a reviewer can look at the pages without clicking through them.
 *
 * Needs the dashboard running (scripts/up.sh, or `npx next start` as in the browser tests) at
 * SCREENSHOT_BASE_URL (default NEXTAUTH_URL or http://localhost:3000) and Keycloak; it signs in through
 * Keycloak's login page with the local-only users (or reuses e2e/.auth/<user>.json when still valid).
 * On a shared machine run it under the shared lock. Chromium: CHROMIUM_PATH or /usr/bin/chromium.
 */
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { PAGES } from "../e2e/ui/ui-pages";
import { USERS, storageStateOf, type TUserKey } from "../e2e/users";

const BASE = process.env.SCREENSHOT_BASE_URL ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000";
const OUT = "screenshots";
const WIDTHS = [
  { name: "1280", viewport: { width: 1280, height: 900 }, isMobile: false },
  { name: "390", viewport: { width: 390, height: 844 }, isMobile: true },
];

async function signedInState(browser: Browser, user: TUserKey): Promise<string> {
  const saved = storageStateOf(user);
  if (existsSync(saved)) {
    const probe = await browser.newContext({ baseURL: BASE, storageState: saved });
    const page = await probe.newPage();
    await page.goto("/");
    const ok = (await page.getByTestId("signed-in-user").count()) > 0;
    await probe.close();
    if (ok) return saved;
  }
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await page.getByRole("textbox", { name: "Username or email" }).fill(USERS[user].username);
  await page.getByRole("textbox", { name: "Password" }).fill(USERS[user].password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.getByTestId("signed-in-user").waitFor({ timeout: 30_000 });
  const path = `${OUT}/.state-${user}.json`;
  await context.storageState({ path });
  await context.close();
  return path;
}

function slug(path: string): string {
  return path === "/"
    ? "home"
    : path
        .replace(/^\//, "")
        .replace(/[^a-z0-9]+/gi, "-")
        .replace(/-+$/, "");
}

async function shoot(context: BrowserContext, viewer: string, width: string, path: string): Promise<string> {
  const page = await context.newPage();
  await page.goto(path);
  await page.locator("main h1").first().waitFor({ timeout: 20_000 });
  await page.waitForTimeout(800);
  const file = `${OUT}/${viewer}-${slug(path)}-${width}.png`;
  await page.screenshot({ path: file, fullPage: true });
  await page.close();
  return file;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const states: Record<string, string | undefined> = {
      "signed-out": undefined,
      alice: await signedInState(browser, "alice"),
      admin: await signedInState(browser, "admin"),
    };
    for (const viewer of ["signed-out", "alice", "admin"] as const) {
      for (const w of WIDTHS) {
        const context = await browser.newContext({
          baseURL: BASE,
          viewport: w.viewport,
          isMobile: w.isMobile,
          storageState: states[viewer],
        });
        for (const path of PAGES[viewer === "alice" ? "user" : viewer]) console.log(await shoot(context, viewer, w.name, path));
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
