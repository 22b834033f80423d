import { expect, test } from "@playwright/test";
import { storageStateOf } from "../users";
import { startFramingPage } from "./framing-page";

test.use({ storageState: storageStateOf("alice") });

let framer: Awaited<ReturnType<typeof startFramingPage>>;

test.beforeAll(async ({}, info) => {
  framer = await startFramingPage(String(info.project.use.baseURL));
});

test.afterAll(async () => {
  await framer.close();
});

for (const target of ["/access", "/api/grants"]) {
  test(`a page on another localhost port cannot show ${target} in a frame`, async ({ page, baseURL }) => {
    // Signed in, the page itself works.
    if (target === "/access") {
      await page.goto("/access");
      await expect(page.getByRole("heading", { name: "My access" })).toBeVisible();
    }

    const answered = page.waitForResponse((r) => r.url() === `${baseURL}${target}`);
    await page.goto(`${framer.url}/?target=${encodeURIComponent(target)}`);
    const response = await answered;
    await page.waitForLoadState("load");

    // The dashboard answered the framed request (the session cookie went along) and told the browser no.
    expect(response.status()).toBe(200);
    expect(response.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(response.headers()["x-frame-options"]).toBe("DENY");

    // Framing as such works on that page…
    await expect(page.frameLocator("#own").locator("#own-content")).toBeVisible();
    // …but the dashboard's frame stays empty: no page of ours, no heading, no button to click.
    const frame = await (await page.locator("#victim").elementHandle()).contentFrame();
    expect(frame).not.toBeNull();
    expect(frame!.url()).not.toContain(baseURL!);
    await expect(page.frameLocator("#victim").getByRole("heading", { name: "My access" })).toHaveCount(0);
    await expect(page.frameLocator("#victim").getByRole("button")).toHaveCount(0);
    await expect(page.frameLocator("#victim").getByText("grants")).toHaveCount(0);
  });
}
