import { readFileSync } from "node:fs";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { grantThroughConsentScreen } from "../grants/grant-flow";
import { createThrowawayPerson, deleteThrowawayPerson, signInAs, type TThrowawayPerson } from "../fixtures/throwaway-person";
import { contextAs } from "./admin-pages";

// The user whose trail the admin reads is a person of this spec's own: a first grant, a first task run and a
// revocation, every time, whatever other specs left in the database.
let person: TThrowawayPerson;
test.beforeAll(async () => {
  person = await createThrowawayPerson("e2e-audit");
});
test.afterAll(async () => deleteThrowawayPerson(person));

test("the admin sees a user's grant, task run and revocation, narrows them with filters and exports exactly the filtered rows", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const personSub = person.sub;

  // The person grants through Keycloak's consent screen, runs a task, and revokes the grant.
  const userContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const ap = await userContext.newPage();
  await signInAs(ap, person);
  const grantId = await grantThroughConsentScreen(ap, "notes-index");
  await ap.goto("/tasks");
  const card = ap.getByRole("listitem", { name: "Notes index" });
  const clickedAt = new Date(Date.now() - 1000);
  await card.getByRole("button", { name: "Enable" }).click();
  // playwright.config.ts always starts the worker: the first run must finish, or the spec fails.
  await expect(card.getByLabel("Latest run").getByText("succeeded", { exact: true })).toBeVisible({ timeout: 45_000 });
  await ap.goto("/access");
  const grantCard = ap.locator(`[data-grant-id="${grantId}"]`);
  await grantCard.getByRole("button", { name: "Revoke" }).click();
  await ap.getByRole("alertdialog").getByRole("button", { name: "Revoke access" }).click();
  await expect(grantCard.getByText("Confirmed by Keycloak")).toBeVisible();
  await userContext.close();

  const admin = await contextAs(browser, "admin");
  const page = await admin.newPage();
  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  const table = page.getByRole("table", { name: "Audit events" });
  const filters = page.getByRole("form", { name: "Audit filters" });
  // After "Apply filters" the previous rows stay visible until the new ones arrive (aria-busy meanwhile).
  const settled = () => expect(page.getByTestId("audit-results")).toHaveAttribute("aria-busy", "false");

  // The person's grant, by subject and the grant id as free text.
  await filters.getByLabel("On behalf of (subject)").fill(personSub);
  await filters.getByLabel("Search text").fill(grantId);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`subject=${personSub}`));
  await settled();
  for (const action of ["grant.consent", "grant.revoke_requested", "grant.revoke_confirmed"]) {
    await expect(table.getByRole("cell", { name: action, exact: true })).toHaveCount(1);
  }
  await expect(table.getByRole("row").filter({ hasText: "grant.revoke_confirmed" })).toContainText(`grant:${grantId}`);
  await expect(table.getByRole("row").filter({ hasText: "grant.revoke_confirmed" })).toContainText("rfc7009");
  const grantRows = await table.locator("tbody tr").count();
  expect(grantRows).toBeGreaterThanOrEqual(3);

  // Narrowing by action leaves exactly one row.
  await filters.getByLabel("Action").fill("grant.revoke_confirmed");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=grant.revoke_confirmed/);
  await settled();
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator("tbody tr")).toContainText("grant.revoke_confirmed");
  await expect(page).toHaveURL(/action=grant.revoke_confirmed/);

  // Export CSV downloads the filtered set: the header plus that one row.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
  const csv = readFileSync(await download.path(), "utf8");
  // LF line ends, as PostgreSQL's COPY writes them (saved exports with CRLF still read back as witnesses).
  const lines = csv.trim().split("\n");
  expect(lines[0]).toMatch(/^seq,at,actor,actorType,subject,/);
  // Header, the one row, and the trailer carrying the signed checkpoint (the export is a witness).
  expect(lines).toHaveLength(3);
  expect(lines[2]).toMatch(/^#checkpoint,"\{""type"":""ncdd-audit-checkpoint\/v1""/);
  expect(lines[1]).toContain("grant.revoke_confirmed");
  expect(lines[1]).toContain(personSub);
  expect(lines[1]).toContain(`grant:${grantId}`);
  expect(csv).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);

  // Widen to the whole grant again: the JSON export has the same rows as the table.
  await filters.getByLabel("Action").fill("");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).not.toHaveURL(/action=/);
  await settled();
  await expect(table.locator("tbody tr")).toHaveCount(grantRows);
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON" }).click()]);
  expect(json.suggestedFilename()).toMatch(/^audit-.*\.ndjson$/);
  // NDJSON: a head line (type, snapshot, checkpoint), then one event per line.
  const exported = readFileSync(await json.path(), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => JSON.parse(l) as { action: string; subject: string });
  expect(exported).toHaveLength(grantRows);
  expect(new Set(exported.map((r) => r.subject))).toEqual(new Set([personSub]));

  // The task run, by subject, action, outcome and a time range starting at the click (filters from the URL).
  const runQs = new URLSearchParams({ subject: personSub, action: "task.run", outcome: "success", from: clickedAt.toISOString() });
  await page.goto(`/admin/audit?${runQs}`);
  await expect(filters.getByLabel("Action")).toHaveValue("task.run");
  const runRow = table.locator("tbody tr").filter({ hasText: "task:notes-index" }).first();
  await expect(runRow).toContainText("Nextcloud MCP background worker");
  await expect(runRow).toContainText("success");
  await expect(table.locator("tbody tr").filter({ hasNotText: "task.run" })).toHaveCount(0);
  // A range long before this product existed holds nothing.
  await filters.getByLabel("From (UTC)").fill("2001-01-01T00:00");
  await filters.getByLabel("To (UTC)").fill("2001-01-01T01:00");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("No audit events match these filters.")).toBeVisible();

  // The chain badge verifies on demand.
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByText(/^Chain intact \(\d+ rows checked/)).toBeVisible({ timeout: 30_000 });
  await admin.close();
});

test("an ordinary user gets 403 on the admin pages and every admin route; signed out gets 401", async ({ browser }) => {
  const alice = await contextAs(browser, "alice");
  const page = await alice.newPage();
  for (const path of ["/admin/audit", "/admin/tiers", "/admin/workers"]) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "403 — Forbidden" })).toBeVisible();
  }
  for (const path of [
    "/api/admin/audit",
    "/api/admin/audit/export?format=csv",
    "/api/admin/audit/chart",
    "/api/admin/audit/verify",
    "/api/admin/audit/checkpoint",
    "/api/admin/tiers",
    "/api/admin/workers",
  ]) {
    const res = await alice.request.get(path);
    expect(res.status(), path).toBe(403);
    expect(await res.json()).toMatchObject({ code: "Forbidden" });
    expect(res.headers()["content-disposition"]).toBeUndefined();
  }
  await alice.close();

  const anonymous = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
  for (const path of ["/api/admin/audit", "/api/admin/audit/export?format=csv", "/api/admin/tiers", "/api/admin/workers"]) {
    const res = await anonymous.get(path);
    expect(res.status(), path).toBe(401);
  }
  await anonymous.dispose();
});
