/**
 * `npm run screenshots`: PNGs of every page at 1280 px and 390 px, signed out, as alice and as admin,
 * into screenshots/ (git-ignored), so a reviewer can look at the pages without clicking through them.
 *
 * Needs the dashboard running (scripts/up.sh, or the browser tests' servers) and Keycloak. It opens the
 * dashboard at NEXTAUTH_URL — the environment, then `.env`, then http://localhost:3000, as the server reads
 * it — because next-auth sets its cookies for that host: another name for the same server signs nobody in.
 * It signs in exactly as the browser tests do (e2e/sign-in.ts, through Keycloak's login page, with the
 * local-only users) and shoots each page once it has settled (e2e/ui/ui-pages.ts: hydrated, no aria-busy).
 * On a shared machine run it under the shared lock. Chromium: CHROMIUM_PATH or /usr/bin/chromium.
 */
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { openSettled, PAGES } from "../e2e/ui/ui-pages";
import { signInThroughKeycloak } from "../e2e/sign-in";
import type { TUserKey } from "../e2e/users";
import { loadDotenv } from "./lib/load-dotenv";

loadDotenv();
const BASE = process.env.NEXTAUTH_URL || "http://localhost:3000";
const OUT = "screenshots";
const WIDTHS = [
  { name: "1280", viewport: { width: 1280, height: 900 }, isMobile: false },
  { name: "390", viewport: { width: 390, height: 844 }, isMobile: true },
];

/** A fresh sign-in per run (saved sessions may belong to another database or have ended at Keycloak). */
async function signedInState(browser: Browser, user: TUserKey): Promise<string> {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await signInThroughKeycloak(page, user);
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
  await openSettled(page, path);
  // Fonts and the charts' first layout, then nothing may move while the picture is taken.
  await page.evaluate(() => document.fonts.ready);
  const file = `${OUT}/${viewer}-${slug(path)}-${width}.png`;
  await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
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
          hasTouch: w.isMobile,
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
