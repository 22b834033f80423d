import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { storageStateOf } from "../users";
import { createActivePerson } from "./ensure-activity";
import { deleteThrowawayPerson, type TThrowawayPerson } from "../fixtures/throwaway-person";
import { LEAD_OWNED, openSettled, PAGES } from "./ui-pages";

// The pages under rewrite by the lead are checked too; a failure there is recorded as fixme, not hidden.
const FIXME_REASON = "page is being rewritten on the grants branch; adopt components/ui there, then drop this fixme";

// Pages are checked with real content: a grant, both tasks, finished runs, a feed and audit rows — of a
// person of this spec's own, created from nothing (no state left by other specs to depend on).
const USER_STATE = "e2e/.auth/e2e-axe.json";
let person: TThrowawayPerson | undefined;
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  person = await createActivePerson(browser, "e2e-axe", USER_STATE);
});
test.afterAll(async () => deleteThrowawayPerson(person));

for (const viewer of ["signed-out", "user", "admin"] as const) {
  test.describe(`axe, ${viewer}`, () => {
    if (viewer !== "signed-out") test.use({ storageState: viewer === "user" ? USER_STATE : storageStateOf(viewer) });
    for (const path of PAGES[viewer]) {
      test(`${path} has no serious or critical axe violations`, async ({ page }) => {
        await openSettled(page, path);
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
        const blocking = results.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map(
            (v) =>
              `${v.impact} ${v.id}: ${v.help} — ${v.nodes
                .map((n) => n.target.join(" "))
                .slice(0, 3)
                .join(" | ")}`,
          );
        if (blocking.length && LEAD_OWNED.has(path.split("?")[0]!)) test.fixme(true, `${FIXME_REASON}: ${blocking.join("; ")}`);
        expect(blocking, `axe on ${path} as ${viewer}`).toEqual([]);
        // The moderate issues the review named (heading order, duplicate landmarks) are gone too.
        const named = results.violations
          .filter((v) => ["heading-order", "landmark-unique", "landmark-no-duplicate-main", "page-has-heading-one"].includes(v.id))
          .map((v) => v.id);
        if (named.length && LEAD_OWNED.has(path.split("?")[0]!)) test.fixme(true, `${FIXME_REASON}: ${named.join(", ")}`);
        expect(named, `moderate issues on ${path}`).toEqual([]);
      });
    }
  });
}
