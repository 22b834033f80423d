import { expect, test, type Page } from "@playwright/test";
import { createThrowawayPerson, deleteThrowawayPerson, signInAs, type TThrowawayPerson } from "../fixtures/throwaway-person";
import { grantThroughConsentScreen } from "./grant-flow";
import { runProbesNow, tierRow } from "../admin/admin-pages";
import { storageStateOf } from "../users";

const STAND_IN = "http://127.0.0.1:8281/__stand-in";

/**
 * Connects the worker by app password: the dashboard starts Login Flow v2, the person opens the Nextcloud
 * stand-in's approve page in a new tab, signs in as `account` and grants access; the dashboard notices.
 */
async function connectByAppPassword(page: Page, account: string): Promise<void> {
  await page.goto("/grants/new?task=notes-index");
  const section = page.getByRole("region", { name: "Or connect by Nextcloud app password" });
  if (await section.getByText("You already connected an app password").isVisible()) return;
  await section.getByRole("button", { name: "Connect by app password" }).click();
  const link = section.getByRole("link", { name: "Open Nextcloud to grant access" });
  await expect(link).toBeVisible();
  const nextcloud = await page.context().newPage();
  await nextcloud.goto((await link.getAttribute("href"))!);
  await expect(nextcloud.getByText("not a real Nextcloud")).toBeVisible();
  await expect(nextcloud.getByRole("heading", { name: "Account access" })).toBeVisible();
  await nextcloud.getByRole("textbox", { name: "Sign in as (Nextcloud account)" }).fill(account);
  await nextcloud.getByRole("button", { name: "Grant access" }).click();
  await expect(nextcloud.getByRole("heading", { name: "Account connected" })).toBeVisible();
  await nextcloud.close();
  await expect(section.getByRole("status")).toContainText(`Connected by app password as ${account}`, { timeout: 15_000 });
}

test.describe("a person connects the worker by Nextcloud app password", () => {
  let person: TThrowawayPerson | undefined;
  test.afterEach(async () => deleteThrowawayPerson(person));

  test("connects through Nextcloud's approve page, runs a task whose requests say 'app password', revokes with Nextcloud's 401 as proof", async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    await request.post(`${STAND_IN}/latency`, { data: { ms: 0 } });
    person = await createThrowawayPerson("apw");
    await signInAs(page, person);
    await connectByAppPassword(page, person.username);

    const devices = (await (await request.get(`${STAND_IN}/devices?uid=${person.username}`)).json()) as { devices: { name: string }[] };
    expect(devices.devices.map((d) => d.name)).toEqual(["Nextcloud Delegation Dashboard (background worker)"]);

    await page.goto("/access");
    const card = page.locator('[data-mechanism="app_password"]');
    await expect(card.getByText("Active")).toBeVisible();
    await expect(card.getByTestId("grant-mechanism")).toHaveText("Nextcloud app password (Login Flow v2)");
    await expect(card.getByTestId("grant-scopes")).toContainText("calendars, contacts, notes");

    await page.goto("/tasks");
    const task = page.getByRole("listitem", { name: "Notes index" });
    await task.getByRole("button", { name: "Enable" }).click();
    await expect(task.getByLabel("Latest run").getByText("succeeded", { exact: true })).toBeVisible({ timeout: 30_000 });
    const feed = page.getByRole("table", { name: "Requests made on my behalf" });
    await expect(feed.getByTestId("request-mechanism").first()).toHaveText("app password");
    await expect(feed.locator('[data-mechanism]:not([data-mechanism="app-password"])')).toHaveCount(0);

    await page.goto("/access");
    await card.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Nextcloud deletes the app password");
    await dialog.getByRole("button", { name: "Revoke access" }).click();
    await expect(card.getByText("Confirmed by Nextcloud")).toBeVisible();
    await expect(card.getByTestId("revocation-proof")).toContainText("Nextcloud answered HTTP 401");
    const after = (await (await request.get(`${STAND_IN}/devices?uid=${person.username}`)).json()) as { devices: unknown[] };
    expect(after.devices).toEqual([]);
  });
});

test.describe("the admin's capability matrix", () => {
  test.use({ storageState: storageStateOf("admin") });

  test("shows, per mechanism, Nextcloud's verbatim status for WebDAV, OCS, CalDAV, CardDAV and the Notes API", async ({ page }) => {
    test.setTimeout(120_000);
    await grantThroughConsentScreen(page, "notes-index");
    await connectByAppPassword(page, "admin");
    await page.goto("/admin/tiers");
    await runProbesNow(page);

    const matrix = page.getByRole("table", { name: "Capability matrix" });
    const statuses = async (mechanism: string) =>
      Object.fromEntries(
        await Promise.all(
          ["webdav-files", "ocs-user", "caldav", "carddav", "notes-api"].map(async (api) => [
            api,
            await matrix
              .locator(`[data-capability-row="${mechanism}"] td[data-api="${api}"]`)
              .getByTestId("capability-status")
              .textContent(),
          ]),
        ),
      );
    await expect(matrix.locator('[data-capability-row="tier2-token-exchange"]')).toBeVisible();
    expect(await statuses("tier2-token-exchange")).toEqual({
      "webdav-files": "207",
      "ocs-user": "200",
      caldav: "401",
      carddav: "401",
      "notes-api": "401",
    });
    expect(await statuses("app-password")).toEqual({
      "webdav-files": "207",
      "ocs-user": "200",
      caldav: "207",
      carddav: "207",
      "notes-api": "200",
    });

    await expect(tierRow(page, "tier2-token-exchange").getByTestId("tier-evidence")).toContainText('resolved it to your account "admin"');
    await expect(tierRow(page, "nextcloud-oidc-provider").getByTestId("tier-evidence")).toContainText(
      'grant_types_supported: ["authorization_code","implicit"]',
    );
    await expect(tierRow(page, "nextcloud-impersonate-app").getByTestId("tier-status")).toHaveText("rejected by policy");
    await expect(page.locator("body")).not.toContainText("eyJ");
  });
});
