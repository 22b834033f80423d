import { expect, test, type Page } from "@playwright/test";
import { grantThroughConsentScreen } from "../grants/grant-flow";
import { e2eQuery, e2eRows } from "../e2e-db";
import { createThrowawayPerson, deleteThrowawayPerson, signInAs, type TThrowawayPerson } from "../fixtures/throwaway-person";

const STAND_IN = "http://127.0.0.1:8281/__stand-in";

/**
 * A person of this spec's own (the stand-in gives them its default notes): no task exists before the spec
 * starts, so every step is the one a new user takes, whatever other specs left behind.
 */
let person: TThrowawayPerson;
test.beforeAll(async () => {
  person = await createThrowawayPerson("e2e-tasks");
});
test.afterAll(async () => deleteThrowawayPerson(person));

/** The outcomes chart (read afresh) captions exactly the person's finished runs, as stored. */
async function expectChartToCountRuns(page: Page) {
  const rows = await e2eRows<{ status: string; n: string }>(
    `SELECT status::text AS status, count(*)::text AS n FROM "TaskRun" WHERE "userSub" = $1 AND status IN ('succeeded', 'failed', 'stopped') GROUP BY 1`,
    [person.sub],
  );
  const n = (status: string) => rows.find((r) => r.status === status)?.n ?? "0";
  expect(Number(n("succeeded")) + Number(n("failed")) + Number(n("stopped"))).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "How runs ended" })).toBeVisible();
  await expect(page.getByRole("figure")).toContainText(
    `Runs finished per day over the last 14 days: ${n("succeeded")} succeeded, ${n("failed")} failed, ${n("stopped")} stopped.`,
  );
  await expect(page.getByRole("figure").locator(".recharts-bar-rectangle").first()).toBeVisible();
}

test("a user grants, enables notes-index, sees it run, finds a note, and revokes the task mid-run", async ({ page, request }) => {
  test.setTimeout(120_000);
  await request.post(`${STAND_IN}/latency`, { data: { ms: 0 } });
  await signInAs(page, person);
  await grantThroughConsentScreen(page, "notes-index");
  await page.goto("/tasks");
  // The outcomes chart: nothing finished yet, so it says so instead of drawing empty bars.
  await expect(page.getByRole("heading", { name: "How runs ended" })).toBeVisible();
  await expect(page.getByText("No finished runs in the last two weeks")).toBeVisible();
  const card = page.getByRole("listitem", { name: "Notes index" });
  await card.getByRole("button", { name: "Enable" }).click();
  await expect(card.getByLabel("Latest run").getByText("succeeded", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(card.getByTestId("run-summary")).toContainText(/Indexed \d+ notes/);
  await expectChartToCountRuns(page);

  await page.getByRole("textbox", { name: "Search my notes" }).fill("weekly");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("list", { name: "Search results" })).toContainText("Ideas");
  // The feed lists the person's own requests in words; method, path and Nextcloud's status sit in each row's details.
  const feed = page.getByRole("table", { name: "Requests made on my behalf" });
  await expect(
    feed
      .getByRole("row")
      .filter({ hasText: "PROPFIND" })
      .filter({ hasText: `/remote.php/dav/files/${person.username}/Notes/` })
      .filter({ hasText: "207" })
      .first(),
  ).toBeVisible();
  await expect(feed.getByRole("row").filter({ hasText: "Nextcloud MCP background worker" }).first()).toBeVisible();

  // A slow Nextcloud (1.5 s per WebDAV request) and an emptied index, so the next run has several
  // requests still to make (PROPFINDs and a GET per note) when access is taken back.
  await e2eQuery('DELETE FROM "NoteDocument" WHERE "userSub" = $1', [person.sub]);
  await request.post(`${STAND_IN}/latency`, { data: { ms: 1500 } });
  try {
    await card.getByRole("button", { name: "Run now" }).click();
    const bar = card.getByRole("progressbar");
    await expect(bar).toBeVisible({ timeout: 20_000 });
    await expect(bar).toHaveAttribute("aria-valuenow", /^\d+$/);
    await card.getByRole("button", { name: "Revoke task" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke task" }).click();
    // The revoke is acknowledged once the card says so: from here on no request may leave for this task.
    await expect(card.getByText("Revoked", { exact: true })).toBeVisible();
    const cursor = ((await (await request.get(`${STAND_IN}/requests`)).json()) as { next: number }).next;
    await expect(card.getByLabel("Latest run")).toContainText(/stopped|revoked/i, { timeout: 10_000 });
    // The event that ends the question: the run's row is final, so its worker makes no further request.
    await expect
      .poll(
        async () =>
          (
            await e2eRows<{ status: string }>(
              `SELECT r.status::text AS status FROM "TaskRun" r JOIN "Task" t ON t.id = r."taskId" WHERE t."userSub" = $1 ORDER BY r."createdAt" DESC LIMIT 1`,
              [person.sub],
            )
          )[0]?.status,
        { timeout: 15_000 },
      )
      .toBe("stopped");
    await expectChartToCountRuns(page);
    const after = (await (await request.get(`${STAND_IN}/requests?after=${cursor}`)).json()) as { requests: { path: string }[] };
    expect(after.requests.filter((r) => r.path.includes(`/files/${person.username}/`))).toEqual([]);
  } finally {
    await request.post(`${STAND_IN}/latency`, { data: { ms: 0 } });
  }
});
