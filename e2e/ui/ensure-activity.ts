import { expect, test, type Browser } from "@playwright/test";
import { grantThroughConsentScreen } from "../grants/grant-flow";
import { createThrowawayPerson, signInAs, type TThrowawayPerson } from "../fixtures/throwaway-person";

/**
 * A person of the calling spec's own with real content to look at: a grant, both tasks enabled and one
 * finished run each (so /tasks has cards, a feed and a chart, /access has a grant, and the admin's audit
 * trail has a person in it). Starts from nothing every time, so there is no leftover state to branch on.
 * The signed-in browser state is saved to `storageState` for the spec's `test.use`; delete the person with
 * deleteThrowawayPerson afterwards.
 */
export async function createActivePerson(browser: Browser, prefix: string, storageState: string): Promise<TThrowawayPerson> {
  const person = await createThrowawayPerson(prefix);
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  try {
    await signInAs(page, person);
    await grantThroughConsentScreen(page, "notes-index");
    await grantThroughConsentScreen(page, "files-inventory");
    await page.goto("/tasks");
    for (const title of ["Notes index", "Files inventory"]) {
      const card = page.getByRole("listitem", { name: title });
      await card.getByRole("button", { name: "Enable" }).click();
      await expect(card.getByTestId("run-summary")).toBeVisible({ timeout: 30_000 });
    }
    await context.storageState({ path: storageState });
    return person;
  } finally {
    await context.close();
  }
}
