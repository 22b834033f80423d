import { expect, test } from "@playwright/test";
import { storageStateOf } from "../users";
import { createActivePerson } from "./ensure-activity";
import { deleteThrowawayPerson, type TThrowawayPerson } from "../fixtures/throwaway-person";
import { LEAD_OWNED, openSettled, PAGES } from "./ui-pages";

const FIXME_REASON = "page is being rewritten on the grants branch; adopt components/ui there, then drop this fixme";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

// Pages are checked with real content: a grant, both tasks, finished runs, a feed and audit rows — of a
// person of this spec's own, created from nothing (no state left by other specs to depend on).
const USER_STATE = "e2e/.auth/e2e-phone.json";
let person: TThrowawayPerson | undefined;
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  person = await createActivePerson(browser, "e2e-phone", USER_STATE);
});
test.afterAll(async () => deleteThrowawayPerson(person));

for (const viewer of ["signed-out", "user", "admin"] as const) {
  test.describe(`390×844, ${viewer}`, () => {
    if (viewer !== "signed-out") test.use({ storageState: viewer === "user" ? USER_STATE : storageStateOf(viewer) });
    for (const path of PAGES[viewer]) {
      test(`${path} does not scroll sideways${viewer === "signed-out" ? "" : " and shows Sign out"}`, async ({ page }) => {
        await openSettled(page, path);
        // Open every details toggle first: what they reveal must fit too.
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => d.setAttribute("open", "")));
        const { doc, viewport, widest } = await page.evaluate(() => {
          const vw = window.innerWidth;
          let w = "";
          for (const el of Array.from(document.querySelectorAll("body *"))) {
            const r = el.getBoundingClientRect();
            if (r.right > vw + 1 && r.width > 0) {
              w = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${String(el.className).slice(0, 60)} right=${Math.round(r.right)}`;
              break;
            }
          }
          return { doc: document.documentElement.scrollWidth, viewport: vw, widest: w };
        });
        if (doc > viewport && LEAD_OWNED.has(path)) test.fixme(true, `${FIXME_REASON}: ${widest}`);
        expect(doc, `document width on ${path} (first element past the edge: ${widest || "none"})`).toBeLessThanOrEqual(viewport);
        if (viewer !== "signed-out" && path !== "/signed-out") {
          const signOut = page.getByRole("button", { name: "Sign out" });
          await expect(signOut).toBeInViewport({ ratio: 1 });
        }
      });
    }
  });
}
