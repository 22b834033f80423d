import { expect, test } from "@playwright/test";
import { storageStateOf } from "../users";
import { PAGES } from "./ui-pages";

// Every page names itself in the browser tab: a person with several tabs open, or a screen reader announcing
// the page, tells them apart. The same page opened with other query parameters may share its title; a page
// without a title of its own gets the site's name, the start page's title, and so clashes with it.
for (const viewer of ["signed-out", "user", "admin"] as const) {
  test.describe(`page titles, ${viewer}`, () => {
    if (viewer !== "signed-out") test.use({ storageState: storageStateOf(viewer === "user" ? "alice" : "admin") });
    test("each page has a title of its own", async ({ page }) => {
      const titles = new Map<string, string>();
      for (const path of PAGES[viewer]) {
        await page.goto(path);
        const title = await page.title();
        expect(title, `title of ${path}`).toMatch(/Delegation Dashboard$/);
        titles.set(path.split("?")[0]!, title);
      }
      const paths = [...titles.keys()];
      const clashes = paths.filter((p, i) => paths.some((q, j) => j !== i && titles.get(q) === titles.get(p)));
      expect(clashes, JSON.stringify(Object.fromEntries(titles))).toEqual([]);
      if (viewer === "user") expect(titles.get("/admin")).toBe("Forbidden · Delegation Dashboard");
      expect(titles.get("/no-such-page") ?? "Page not found · Delegation Dashboard").toBe("Page not found · Delegation Dashboard");
    });
  });
}
