import { expect, test, type Request } from "@playwright/test";
import { grantThroughConsentScreen } from "../grants/grant-flow";
import { e2eRows } from "../e2e-db";
import { createThrowawayPerson, deleteThrowawayPerson, signInAs, type TThrowawayPerson } from "../fixtures/throwaway-person";

const STAND_IN = "http://127.0.0.1:8281/__stand-in";

// A person of this spec's own, whose one grant serves only the task revoked here.
let person: TThrowawayPerson;
test.beforeAll(async () => {
  person = await createThrowawayPerson("e2e-revoke-task");
});
test.afterAll(async () => deleteThrowawayPerson(person));

const taskStatus = async () =>
  (
    await e2eRows<{ status: string }>(`SELECT status::text AS status FROM "Task" WHERE "userSub" = $1 AND type = 'files-inventory'`, [
      person.sub,
    ])
  )[0]?.status;

test("'Revoke task' says what will happen and asks first; Cancel changes nothing; confirming revokes and shows a receipt", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await request.post(`${STAND_IN}/latency`, { data: { ms: 0 } });
  await signInAs(page, person);
  await grantThroughConsentScreen(page, "files-inventory");
  await page.goto("/tasks");
  const card = page.getByRole("listitem", { name: "Files inventory" });
  await card.getByRole("button", { name: /^Enable/ }).click();
  await expect(card.getByText("Active", { exact: true })).toBeVisible();
  await expect(card.getByTestId("run-summary")).toContainText(/^Found \d+ files? and \d+ folders?/, { timeout: 30_000 });
  await expect(card.getByTestId("run-summary")).not.toContainText("{");

  await card.getByRole("button", { name: "Revoke task" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Revoke the Files inventory task?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("no new run starts");
  // The person's grant serves only this task, so the dialog says the access goes too.
  await expect(dialog).toContainText("revoked at Keycloak too");
  // Cancel sends nothing: no server action leaves the page, the stored task is still active, and so is the
  // card read afresh from the server.
  const actionsSent: string[] = [];
  const onRequest = (r: Request) => {
    if (r.method() === "POST" && r.headers()["next-action"] !== undefined) actionsSent.push(r.url());
  };
  page.on("request", onRequest);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(card.getByText("Active", { exact: true })).toBeVisible();
  page.off("request", onRequest);
  expect(actionsSent).toEqual([]);
  expect(await taskStatus()).toBe("active");

  await card.getByRole("button", { name: "Revoke task" }).click();
  await dialog.getByRole("button", { name: "Revoke task" }).click();
  await expect(card.getByText("Revoked", { exact: true })).toBeVisible();
  expect(await taskStatus()).toBe("revoked");
  await expect(page.getByRole("status").filter({ hasText: "Revoked, with its access at Keycloak" })).toBeVisible();
  await expect(card.getByRole("link", { name: "Grant access for Files inventory" })).toBeVisible();

  // The feed names the task and the worker in words; the exact request is kept in the details toggle.
  const feed = page.getByRole("table", { name: "Requests made on my behalf" });
  const row = feed.getByRole("row").filter({ hasText: "Listed your top folder" }).first();
  await expect(row).toContainText("Files inventory");
  await expect(row).toContainText("Nextcloud MCP background worker");
  await expect(row.getByRole("cell").nth(2)).not.toContainText("//");
});
