import { expect, test, type Page } from "@playwright/test";
import { createThrowawayPerson, deleteThrowawayPerson, signInAs, type TThrowawayPerson } from "../fixtures/throwaway-person";
import { e2eQuery, e2eRows } from "../e2e-db";
import { continueToKeycloak } from "./grant-flow";

/**
 * The grant's whole life in the browser, for a person of this spec's own (created in Keycloak here, so
 * signing out cannot disturb the other specs' saved sessions).
 */
let person: TThrowawayPerson;
test.beforeAll(async () => {
  person = await createThrowawayPerson("e2e-life");
});
test.afterAll(async () => deleteThrowawayPerson(person));

const signIn = (page: Page) => signInAs(page, person);
const sub = () => person.sub;

test("one grant: add and narrow access, work goes on after sign-out, revoke everything removes consent and data", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);

  // Grant for the notes index, then add the files inventory: still one grant, with both scopes.
  await page.goto("/grants/new?task=notes-index");
  const grantId = await continueToKeycloak(page);
  await page.goto("/grants/new?task=notes-index");
  await expect(page.getByRole("heading", { name: "You already granted this" })).toBeVisible();
  await page.goto("/access");
  await page.getByRole("link", { name: /Add access: list and read your files/ }).click();
  await expect(page.getByRole("heading", { name: "Add to the background worker's access" })).toBeVisible();
  expect(await continueToKeycloak(page)).toBe(grantId);
  const card = page.locator(`[data-grant-id="${grantId}"]`);
  await expect(page.locator("[data-grant-id]")).toHaveCount(1);
  await expect(card.getByTestId("grant-scopes")).toContainText("files.read");
  await expect(card.getByTestId("grant-scopes")).toContainText("notes.read");

  // Both tasks enabled; then narrow: the files inventory stops, the notes index keeps running.
  await page.goto("/tasks");
  for (const title of ["Notes index", "Files inventory"]) {
    await page.getByRole("listitem", { name: title }).getByRole("button", { name: "Enable" }).click();
  }
  await expect(
    page.getByRole("listitem", { name: "Notes index" }).getByLabel("Latest run").getByText("succeeded", { exact: true }),
  ).toBeVisible({ timeout: 30_000 });
  await page.goto("/access");
  await card.getByRole("link", { name: /Narrow access: stop .list and read your files/ }).click();
  await expect(page.getByRole("note")).toContainText("This removes: list and read your files");
  expect(await continueToKeycloak(page)).toBe(grantId);
  await expect(page.getByRole("status")).toContainText("Access narrowed");
  await expect(page.getByRole("status")).toContainText("files-inventory");
  await expect(card.getByTestId("grant-scopes")).not.toContainText("files.read");
  await page.goto("/tasks");
  await expect(page.getByRole("listitem", { name: "Files inventory" }).getByText("Revoked", { exact: true })).toBeVisible();

  // Sign out: the page says background access keeps running — and it does (a request made after the sign-out).
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("background-keeps-running")).toBeVisible();
  const signedOutAt = new Date();
  await e2eQuery(`UPDATE "Task" SET "nextRunAt" = now() WHERE "userSub" = $1 AND "type" = 'notes-index'`, [sub()]);
  await expect
    .poll(
      async () =>
        (
          await e2eRows(`SELECT 1 FROM "AuditEvent" WHERE "subject" = $1 AND "action" = 'nextcloud.request' AND "at" > $2`, [
            sub(),
            signedOutAt,
          ])
        ).length,
      { timeout: 45_000 },
    )
    .toBeGreaterThan(0);
  await signIn(page);
  await page.goto("/tasks");
  await expect(page.getByRole("table", { name: "Requests made on my behalf" }).getByRole("row").nth(1)).toBeVisible();

  // Revoke everything, deleting what the tasks collected: the search finds nothing, the receipt says so.
  await page.goto("/access");
  await page.getByLabel("Also delete what the tasks collected (notes index, files inventory)").check();
  await page.getByRole("button", { name: "Revoke everything" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke everything" }).click();
  await expect(card.getByText("Confirmed by Keycloak")).toBeVisible();
  await expect(card.getByTestId("consent-proof")).toContainText("no longer lists a consent");
  await expect(card.getByTestId("data-disposition")).toContainText(/Deleted what the tasks collected: [1-9]\d* indexed notes/);
  await page.goto("/tasks");
  await page.getByRole("textbox", { name: "Search my notes" }).fill("welcome");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText(/No note matches/i)).toBeVisible();

  // Keycloak's own account console no longer lists the worker.
  await page.goto("http://localhost:8180/realms/nextcloud-mcp/account/applications");
  await expect(page.getByRole("heading", { name: /^Applications?$/, level: 1 })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("Nextcloud Delegation Dashboard")).toBeVisible();
  await expect(page.getByText("Nextcloud MCP background worker")).toHaveCount(0);
});
